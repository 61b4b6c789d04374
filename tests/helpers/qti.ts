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
