import { zipSync } from 'fflate';

/** A QTI 3.0 package built in the test: items by file name, each with its manifest keywords. */
export function package3(items: { file: string; xml: string; keywords?: string[] }[], extra: Record<string, Uint8Array> = {}): Uint8Array {
  const resources = items
    .map((it, i) => {
      const kw = (it.keywords ?? []).map((k) => `<lom:keyword><lom:string>${k}</lom:string></lom:keyword>`).join('');
      return `<resource identifier="r${i}" type="imsqti_item_xmlv3p0" href="${it.file}"><metadata><lom:lom><lom:general>${kw}</lom:general></lom:lom></metadata></resource>`;
    })
    .join('');
  const manifest = `<?xml version="1.0"?><manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" xmlns:lom="http://ltsc.ieee.org/xsd/LOM" identifier="M"><resources>${resources}</resources></manifest>`;
  const files: Record<string, Uint8Array> = { 'imsmanifest.xml': Buffer.from(manifest), ...extra };
  for (const it of items) if (it.xml) files[it.file] = Buffer.from(it.xml);
  return zipSync(files);
}

export function item3(id: string, body: string, opts: { response?: string; interaction?: string; template?: string } = {}): string {
  const response = opts.response ?? '<qti-correct-response><qti-value>A</qti-value></qti-correct-response>';
  const choices = ['A', 'B', 'C', 'D', 'E'].map((c) => `<qti-simple-choice identifier="${c}">pilihan ${c}</qti-simple-choice>`).join('');
  const interaction = opts.interaction ?? `<qti-choice-interaction response-identifier="RESPONSE" max-choices="1">${choices}</qti-choice-interaction>`;
  return `<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" xmlns:m="http://www.w3.org/1998/Math/MathML" identifier="${id}"><qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">${response}</qti-response-declaration><qti-item-body>${body}${interaction}</qti-item-body><qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/${opts.template ?? 'match_correct'}.xml"/></qti-assessment-item>`;
}

const TWK_KEYWORDS = ['section:TWK', 'topic:t'];

/** A package's worth of items outside what Kaca imports, one reader finding each (tests/unit/bank-qti.test.ts lists them). */
export const UNSUPPORTED_ITEMS: { file: string; xml: string; keywords?: string[] }[] = [
  { file: 'items/M1.xml', xml: item3('TWK-M1', '<p>Pilih dua</p>', { interaction: '<qti-choice-interaction response-identifier="RESPONSE" max-choices="3"><qti-simple-choice identifier="A">a</qti-simple-choice><qti-simple-choice identifier="B">b</qti-simple-choice></qti-choice-interaction>' }), keywords: TWK_KEYWORDS },
  { file: 'items/M2.xml', xml: item3('TWK-M2', '<p>Isilah</p>', { interaction: '<qti-text-entry-interaction response-identifier="RESPONSE"/>' }), keywords: TWK_KEYWORDS },
  { file: 'items/M3.xml', xml: item3('TWK-M3', '<p><m:math><m:mmultiscripts><m:mi>X</m:mi><m:mi>a</m:mi><m:mi>b</m:mi></m:mmultiscripts></m:math></p>'), keywords: TWK_KEYWORDS },
  { file: 'items/M4.xml', xml: item3('TWK-M4', '<p><img src="../images/none.png" alt=""/></p>'), keywords: TWK_KEYWORDS },
  { file: 'items/M5.xml', xml: item3('TWK-M5', '<p><img src="http://example.org/x.png" alt=""/></p>'), keywords: TWK_KEYWORDS },
  { file: 'items/M6.xml', xml: item3('M6', '<p>Tanpa bagian</p>') },
  { file: 'items/M7.xml', xml: '<qti-assessment-item identifier="TWK-M7"><qti-item-body></qti-assessment-item>', keywords: TWK_KEYWORDS },
  { file: 'items/gone.xml', xml: '', keywords: TWK_KEYWORDS },
  { file: 'items/M9.xml', xml: item3('TWK-M9', '<p>Kunci salah</p>', { response: '<qti-correct-response><qti-value>Z</qti-value></qti-correct-response>' }), keywords: TWK_KEYWORDS },
  { file: 'items/M10.xml', xml: item3('TKP-M10', '<p>TKP dengan kunci</p>'), keywords: ['topic:t'] },
  { file: 'items/M11.xml', xml: item3('TWK-M11', '<p><qti-feedback-block outcome-identifier="FEEDBACK" identifier="x" show-hide="show">Bagus</qti-feedback-block>Soal</p>'), keywords: TWK_KEYWORDS },
];
