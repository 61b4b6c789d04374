import { createHash } from 'node:crypto';
import { zipSync } from 'fflate';
import { OPTION_LETTERS, type Question } from '../../server/src/contract/question.js';
import type { ParsedBank } from '../../server/src/domain/bank.js';
import { escapeAttr, escapeText } from './xml.js';
import { htmlToXhtml } from './xhtml.js';

/**
 * A bank as a QTI 3.0 content package: imsmanifest.xml, one item per question under items/,
 * and the images that were data URIs as files under media/. Reading it back with the QTI
 * importer gives the same questions (docs/bank-format.md says which spellings it normalizes).
 */
const NS_ITEM = 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0';
const NS_CP = 'http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1';
const NS_LOM = 'http://ltsc.ieee.org/xsd/LOM';
const RP = 'https://purl.imsglobal.org/spec/qti/v3p0/rptemplates';
const EXTENSIONS: Record<string, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif', 'image/svg+xml': 'svg', 'image/webp': 'webp' };
/** Fixed so the same bank always exports the same bytes. */
const MTIME = new Date('2000-01-01T00:00:00Z');

interface Media {
  files: Map<string, Uint8Array>;
}

/** Moves data-URI images out to media/ files; a data URI that would not come back byte for byte stays inline. */
function extractImages(html: string, media: Media, used: Set<string>): string {
  return html.replace(/(<img\b[^>]*?\bsrc\s*=\s*)(["'])(data:(image\/[a-z+]+);base64,([A-Za-z0-9+/=]+))\2/gi, (m, pre: string, q: string, _uri, type: string, b64: string) => {
    const ext = EXTENSIONS[type.toLowerCase()];
    const bytes = Buffer.from(b64, 'base64');
    if (!ext || bytes.toString('base64') !== b64 || type !== type.toLowerCase()) return m;
    const name = `media/${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.${ext}`;
    media.files.set(name, bytes);
    used.add(name);
    return `${pre}${q}../${name}${q}`;
  });
}

function keyword(value: string): string {
  return `<lom:keyword><lom:string>${escapeText(value)}</lom:string></lom:keyword>`;
}

function itemXml(q: Question, language: string, media: Media, used: Set<string>): string {
  const xhtml = (html: string) => htmlToXhtml(extractImages(html, media, used));
  const declaration =
    q.weights !== undefined
      ? `<qti-mapping default-value="0">${q.weights.map((w, i) => `<qti-map-entry map-key="${OPTION_LETTERS[i]}" mapped-value="${w}"/>`).join('')}</qti-mapping>`
      : `<qti-correct-response><qti-value>${OPTION_LETTERS[q.key ?? 0]}</qti-value></qti-correct-response>`;
  const template = q.weights !== undefined ? 'map_response' : 'match_correct';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<qti-assessment-item xmlns="${NS_ITEM}" identifier="${escapeAttr(q.id)}" title="${escapeAttr(q.id)}" xml:lang="${escapeAttr(language)}" adaptive="false" time-dependent="false" tool-name="Kaca" tool-version="1">`,
    `<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">${declaration}</qti-response-declaration>`,
    '<qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>',
    '<qti-item-body>',
    '<qti-choice-interaction response-identifier="RESPONSE" shuffle="true" max-choices="1">',
    `<qti-prompt>${xhtml(q.stem)}</qti-prompt>`,
    ...q.options.map((o, i) => `<qti-simple-choice identifier="${OPTION_LETTERS[i]}">${xhtml(o)}</qti-simple-choice>`),
    '</qti-choice-interaction>',
    '</qti-item-body>',
    `<qti-response-processing template="${RP}/${template}.xml"/>`,
    '</qti-assessment-item>',
    '',
  ].join('\n');
}

/** The bank as a QTI 3.0 package (zip bytes); section, topic and difficulty go into LOM keywords. */
export function exportQti(bank: ParsedBank): Uint8Array {
  const media: Media = { files: new Map() };
  const files: Record<string, Uint8Array> = {};
  const resources: string[] = [];
  const mediaResources = new Set<string>();
  for (const q of bank.questions) {
    const used = new Set<string>();
    const path = `items/${q.id}.xml`;
    files[path] = Buffer.from(itemXml(q, bank.language, media, used));
    const keywords = [`section:${q.section}`, `topic:${q.topic}`, ...(q.difficulty ? [`difficulty:${q.difficulty}`] : [])].map(keyword).join('');
    resources.push(
      [
        `<resource identifier="item-${escapeAttr(q.id)}" type="imsqti_item_xmlv3p0" href="${path}">`,
        `<metadata><lom:lom><lom:general>${keywords}</lom:general></lom:lom></metadata>`,
        `<file href="${path}"/>`,
        ...[...used].map((m) => `<dependency identifierref="${mediaId(m)}"/>`),
        '</resource>',
      ].join(''),
    );
    for (const m of used) mediaResources.add(m);
  }
  for (const m of [...mediaResources].sort()) {
    files[m] = media.files.get(m)!;
    resources.push(`<resource identifier="${mediaId(m)}" type="webcontent" href="${m}"><file href="${m}"/></resource>`);
  }
  const manifest = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<manifest xmlns="${NS_CP}" xmlns:lom="${NS_LOM}" identifier="kaca-bank-${escapeAttr(bank.id)}">`,
    '<metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion>',
    `<lom:lom><lom:general><lom:identifier><lom:catalog>kaca-bank</lom:catalog><lom:entry>${escapeText(bank.id)}</lom:entry></lom:identifier><lom:title><lom:string>${escapeText(bank.title)}</lom:string></lom:title><lom:language>${escapeText(bank.language)}</lom:language></lom:general></lom:lom>`,
    '</metadata>',
    '<organizations/>',
    '<resources>',
    ...resources,
    '</resources>',
    '</manifest>',
    '',
  ].join('\n');
  files['imsmanifest.xml'] = Buffer.from(manifest);
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([name, data]) => [name, [data, { mtime: MTIME, level: name.startsWith('media/') ? 0 : 6 }]])),
  );
}

const mediaId = (path: string) => `media-${path.slice('media/'.length).replace(/\./g, '-')}`;
