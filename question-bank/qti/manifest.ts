import { posix } from 'node:path';
import { childElements, descendants, firstChild, textOf, type XElement } from './xml.js';

/**
 * The parts of an IMS content package manifest (imsmanifest.xml) the importer reads: the item
 * resources in order, and the LOM metadata Kaca uses for section, topic and difficulty.
 */
export interface ManifestItem {
  identifier: string;
  /** package path of the item XML */
  path: string;
  /** LOM keywords of the resource ("section:TWK", "topic:pancasila", ...) */
  keywords: string[];
  /** LOM educational/difficulty value, when given */
  lomDifficulty?: string;
}

export interface Manifest {
  items: ManifestItem[];
  /** package-level LOM: general/identifier entry, title and language */
  id?: string;
  title?: string;
  language?: string;
  /** resources of other QTI types (tests, sections) that the importer does not read */
  skipped: string[];
}

const ITEM_TYPE = /^imsqti_item_xmlv(2p[012]|3p0)$/;

const text = (el: XElement | undefined) => (el ? textOf(el).trim() : undefined);

function lomOf(metadata: XElement | undefined): XElement | undefined {
  return metadata ? descendants(metadata, (e) => e.tag === 'lom')[0] : undefined;
}

/** A LOM LangString: <string> children (LOM 1.3) or <langstring> (IMS MD 1.2), else its text. */
function langString(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  const s = childElements(el).find((c) => c.tag === 'string' || c.tag === 'langstring');
  return text(s ?? el) || undefined;
}

function keywords(metadata: XElement | undefined): string[] {
  if (!metadata) return [];
  return descendants(metadata, (e) => e.tag === 'keyword').flatMap((k) => {
    const strings = childElements(k).filter((c) => c.tag === 'string' || c.tag === 'langstring');
    return (strings.length ? strings : [k]).map((s) => textOf(s).trim()).filter(Boolean);
  });
}

function joinPath(base: string, href: string): string {
  let decoded = href;
  try {
    decoded = decodeURIComponent(href);
  } catch {
    // a stray % stays as written
  }
  return posix.normalize(posix.join(base, decoded)).replace(/^\.\//, '');
}

/** Reads a manifest; `dir` is the manifest's folder inside the package ("" at the root). */
export function readManifest(root: XElement, dir: string): Manifest {
  const general = firstChild(lomOf(firstChild(root, 'metadata')) ?? root, 'general');
  const identifier = general ? firstChild(general, 'identifier') : undefined;
  const manifest: Manifest = {
    items: [],
    id: text(identifier && (firstChild(identifier, 'entry') ?? identifier)) || undefined,
    title: langString(general && firstChild(general, 'title')),
    language: text(general && firstChild(general, 'language')) || undefined,
    skipped: [],
  };
  const resources = firstChild(root, 'resources');
  const base = joinPath(dir, resources?.attrs.base ?? '');
  for (const r of resources ? childElements(resources, 'resource') : []) {
    const type = r.attrs.type ?? '';
    if (!ITEM_TYPE.test(type)) {
      if (type.startsWith('imsqti_')) manifest.skipped.push(`${r.attrs.identifier ?? '?'} (${type})`);
      continue;
    }
    const href = r.attrs.href ?? childElements(r, 'file')[0]?.attrs.href ?? '';
    const metadata = firstChild(r, 'metadata');
    const educational = firstChild(lomOf(metadata) ?? r, 'educational');
    const difficulty = educational && firstChild(educational, 'difficulty');
    manifest.items.push({
      identifier: r.attrs.identifier ?? href,
      path: joinPath(joinPath(base, r.attrs.base ?? ''), href),
      keywords: keywords(metadata),
      ...(difficulty ? { lomDifficulty: text(firstChild(difficulty, 'value') ?? difficulty) } : {}),
    });
  }
  return manifest;
}
