import { z } from 'zod';
import { Hex32Schema } from './leaf.js';

/**
 * The public export of a closed sitting (docs/verifiability.md): what `kaca export` writes and
 * `kaca verify` and the verifier (verify.ts) read.
 */
export const PublicExportSchema = z.object({
  format: z.literal('kaca-export@1'),
  /** the log's origin line, as in every checkpoint */
  origin: z.string().min(1),
  /** the log's verifier key, "<name>+<key id>+<base64 key>" */
  publicKey: z.string().min(1),
  sitting: z.object({
    id: z.string().min(1).max(64),
    name: z.string(),
    seedCommitment: Hex32Schema,
    /** revealed when the sitting closes */
    seed: z.string().min(1),
    bankCommitment: Hex32Schema,
    /** the exam template (sections, counts, marks, thresholds) as JSON; leaf 0 commits to it */
    template: z.unknown().optional(),
    /**
     * the public randomness mixed into the seed, when the sitting used a beacon: a drand
     * quicknet round, its randomness and the round's signature, which is checked offline
     */
    beacon: z
      .object({
        round: z.number().int().positive(),
        randomness: Hex32Schema,
        signature: z
          .string()
          .regex(/^[0-9a-f]{96}$/)
          .optional(),
      })
      .optional(),
  }),
  /** signed checkpoint notes, oldest first; the last covers every leaf */
  checkpoints: z.array(z.string()).min(1),
  /** canonical JSON of each event, in log order */
  leaves: z.array(z.string()),
  /** receipt notes candidates handed in, if any */
  receipts: z.array(z.string()).optional(),
});
export type PublicExport = z.infer<typeof PublicExportSchema>;
