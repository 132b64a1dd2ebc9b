import { z } from 'zod';

/** Parsers of environment values shared by the configuration's areas. */
export const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
