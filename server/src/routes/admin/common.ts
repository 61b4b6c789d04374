import { z } from 'zod';
import { SlugSchema } from '../../contract/exam.js';

/** What the admin route files share. */
export const security = [{ bearer: [] }];
export const IdParams = z.object({ id: SlugSchema });
export const FormatQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });
