import { z } from 'zod';

/** A combination rule: the confidentiality a set of datasets has together. */
export const newRuleSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  datasets: z
    .array(z.uuid())
    .min(2, 'a combination rule names at least two datasets')
    .max(50)
    .refine((ids) => new Set(ids).size === ids.length, 'each dataset once'),
  confidentiality: z.number().int().min(0).max(3, 'the combined confidentiality is a KLASSA level from 0 to 3'),
});

