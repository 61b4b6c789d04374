import { z } from 'zod';
import { canonicalJson } from './canonical-json.js';

/**
 * The events of a sitting's log, one leaf each, hashed as their canonical JSON. A leaf carries
 * only what the public may see: the position of an item in the candidate's paper and the shown
 * position of the option, never a question id, a bank option index, a key or a weight. Schemas
 * are strict, so a field added by mistake (a question id, say) fails here instead of leaking.
 *
 * Conventions: `i` is the leaf's index in the log, `t` the server's clock in ms, `item` the
 * 0-based position in the candidate's paper (as on the wire), `choice` the 0-based shown
 * position of the option or null for a blank, `seq` the client's sequence number, increasing
 * per candidate over answers and flags.
 */
/** A registration number and a section id as a leaf may carry them (the writer's quick encoders check the same). */
export const REG_PATTERN = /^[A-Za-z0-9._-]{1,40}$/;
export const SECTION_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const RegSchema = z.string().regex(REG_PATTERN, 'registration number: 1-40 characters A-Z a-z 0-9 . _ -');
const SectionIdSchema = z.string().regex(SECTION_ID_PATTERN, 'section id: 1-64 characters A-Z a-z 0-9 . _ -');
export const Hex32Schema = z.string().regex(/^[0-9a-f]{64}$/, '64 lowercase hex digits');
export const NONCE_PATTERN = /^[0-9a-f]{32}$/;
const NonceSchema = z.string().regex(NONCE_PATTERN, '32 lowercase hex digits');
const PointsSchema = z.number();
const ScoresSchema = z.record(SectionIdSchema, PointsSchema);
const ReasonSchema = z.string().min(1).max(200).optional();
const ItemSchema = z.number().int().min(0).max(9999);
const SeqSchema = z.number().int().positive();

const common = { v: z.literal(1), i: z.number().int().min(0), t: z.number().int().min(0) };
const candidate = { ...common, reg: RegSchema };

export const FinishReasonSchema = z.enum(['candidate', 'time', 'sitting-closed', 'terminated']);

export const LoginLeafSchema = z.strictObject({ ...candidate, type: z.literal('login') });
export const AdmitLeafSchema = z.strictObject({ ...candidate, type: z.literal('admit'), reason: ReasonSchema });
export const ResetLoginLeafSchema = z.strictObject({ ...candidate, type: z.literal('reset-login'), reason: ReasonSchema });
export const StartLeafSchema = z.strictObject({
  ...candidate,
  type: z.literal('start'),
  /** paperHash() of the dealt paper: auditors recompute it from the seed and the bank */
  paper: Hex32Schema,
  /** number of items in the paper */
  items: z.number().int().min(1).max(10000),
  /** section scores of the all-blank paper (non-zero when a blank earns or loses marks) */
  base: ScoresSchema,
});
export const AnswerLeafSchema = z.strictObject({
  ...candidate,
  type: z.literal('answer'),
  item: ItemSchema,
  section: SectionIdSchema,
  choice: z.number().int().min(0).max(63).nullable(),
  /** points of the new choice minus points of the previous choice on this item */
  delta: PointsSchema,
  seq: SeqSchema,
  /**
   * 16 bytes the writer derives for this leaf with a key only DATA_DIR holds (absent only in logs
   * written before nonces):
   * without it a candidate who knows every other field of their own answer could try each delta
   * against the next checkpoint and learn whether the answer scored (docs/verifiability.md)
   */
  nonce: NonceSchema.optional(),
});
export const FlagLeafSchema = z.strictObject({ ...candidate, type: z.literal('flag'), item: ItemSchema, flagged: z.boolean(), seq: SeqSchema });
export const PauseLeafSchema = z.strictObject({ ...candidate, type: z.literal('pause'), reason: ReasonSchema });
export const ResumeLeafSchema = z.strictObject({ ...candidate, type: z.literal('resume'), reason: ReasonSchema });
export const ExtendLeafSchema = z.strictObject({ ...candidate, type: z.literal('extend'), ms: z.number().int().positive(), reason: ReasonSchema });
export const TerminateLeafSchema = z.strictObject({ ...candidate, type: z.literal('terminate'), reason: ReasonSchema });
export const FinishLeafSchema = z.strictObject({ ...candidate, type: z.literal('finish'), reason: FinishReasonSchema, scores: ScoresSchema });
export const SittingOpenLeafSchema = z.strictObject({
  ...common,
  type: z.literal('sitting-open'),
  sitting: z.string().min(1).max(64),
  seedCommitment: Hex32Schema,
  bankCommitment: Hex32Schema,
  /** templateCommitment() of the exam template: sections, counts, marks, thresholds */
  templateCommitment: Hex32Schema.optional(),
  /** the drand round, fixed now, whose randomness will be mixed into the seed */
  beaconRound: z.number().int().positive().optional(),
});
export const SittingStartLeafSchema = z.strictObject({
  ...common,
  type: z.literal('sitting-start'),
  /** the randomness of the beacon round named at sitting-open */
  beaconRandomness: Hex32Schema.optional(),
  /** that round's BLS signature, which the randomness is the SHA-256 of (domain/verify/beacon.ts) */
  beaconSignature: z
    .string()
    .regex(/^[0-9a-f]{96}$/, '96 lowercase hex digits')
    .optional(),
});
export const SittingCloseLeafSchema = z.strictObject({ ...common, type: z.literal('sitting-close') });

export const LeafSchema = z.discriminatedUnion('type', [
  LoginLeafSchema,
  AdmitLeafSchema,
  ResetLoginLeafSchema,
  StartLeafSchema,
  AnswerLeafSchema,
  FlagLeafSchema,
  PauseLeafSchema,
  ResumeLeafSchema,
  ExtendLeafSchema,
  TerminateLeafSchema,
  FinishLeafSchema,
  SittingOpenLeafSchema,
  SittingStartLeafSchema,
  SittingCloseLeafSchema,
]);
export type Leaf = z.infer<typeof LeafSchema>;
export type StartLeaf = z.infer<typeof StartLeafSchema>;
export type AnswerLeaf = z.infer<typeof AnswerLeafSchema>;
export type FinishLeaf = z.infer<typeof FinishLeafSchema>;
export type SittingOpenLeaf = z.infer<typeof SittingOpenLeafSchema>;

const LEAF_TYPES: ReadonlySet<string> = new Set(LeafSchema.options.map((o) => o.shape.type.value));

/** The exact string to append to the log (and hash) for an event: validated, then canonical. */
export function encodeLeaf(leaf: Leaf): string {
  const r = LeafSchema.safeParse(leaf);
  if (!r.success) throw new Error(`invalid log event: ${describeIssues(r.error)}`);
  // An optional field left undefined is simply absent from the leaf.
  return canonicalJson(Object.fromEntries(Object.entries(leaf).filter(([, v]) => v !== undefined)));
}

export type ParsedLeaf = { ok: true; leaf: Leaf } | { ok: false; error: string };

/**
 * Reads one leaf of an export: JSON, in canonical form (so the bytes hashed have one meaning and
 * no duplicate keys), and matching its type's schema.
 */
export function parseLeaf(text: string): ParsedLeaf {
  return parseAnswerFast(text) ?? parseLeafGeneral(text);
}

// Answers are nearly all of a log, and the verifier reads hundreds of thousands. This anchored
// pattern admits only the canonical spelling of a valid answer leaf (keys in code-unit order,
// values within AnswerLeafSchema's ranges, strings that need no escaping); numbers are then held
// to their canonical form and safe range. It replaces JSON.parse + zod + re-serialisation for
// them at a fraction of the cost. Anything it does not admit takes the general path, so every
// error message is the general path's; a property test holds the two paths to the same results.
const ANSWER =
  /^\{"choice":(null|[0-9]|[1-5][0-9]|6[0-3]),"delta":(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?),"i":(0|[1-9][0-9]{0,15}),"item":(0|[1-9][0-9]{0,3}),(?:"nonce":"([0-9a-f]{32})",)?"reg":"([A-Za-z0-9._-]{1,40})","section":"([A-Za-z0-9][A-Za-z0-9._-]{0,63})","seq":([1-9][0-9]{0,15}),"t":(0|[1-9][0-9]{0,15}),"type":"answer","v":1\}$/;

/** The fast path alone (null: not an answer leaf it admits); exported for its test. */
export function parseAnswerFast(text: string): ParsedLeaf | null {
  const m = ANSWER.exec(text);
  if (!m) return null;
  const delta = Number(m[2]);
  const i = Number(m[3]);
  const seq = Number(m[8]);
  const t = Number(m[9]);
  if (String(delta) !== m[2] || !Number.isSafeInteger(i) || !Number.isSafeInteger(seq) || !Number.isSafeInteger(t)) return null;
  const choice = m[1] === 'null' ? null : Number(m[1]);
  // Same keys in the same order as the schema's output, so both paths give one object shape.
  const leaf = { v: 1 as const, i, t, reg: m[6], type: 'answer' as const, item: Number(m[4]), section: m[7], choice, delta, seq };
  return { ok: true, leaf: m[5] === undefined ? leaf : { ...leaf, nonce: m[5] } };
}

/** parseLeaf without the fast path for answers: JSON.parse, the schema, then the canonical form. */
export function parseLeafGeneral(text: string): ParsedLeaf {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'is not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: 'is not a JSON object' };
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !LEAF_TYPES.has(type)) return { ok: false, error: `has unknown type ${JSON.stringify(type)}` };
  const r = LeafSchema.safeParse(value);
  if (!r.success) return { ok: false, error: `(${type}): ${describeIssues(r.error)}` };
  let canonical: string;
  try {
    canonical = canonicalJson(value);
  } catch (e) {
    return { ok: false, error: (e as Error).message };
  }
  if (canonical !== text) return { ok: false, error: 'is not in canonical JSON form (sorted keys, no whitespace, shortest numbers)' };
  return { ok: true, leaf: r.data };
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}
