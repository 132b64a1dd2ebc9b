import { z } from 'zod';
import { ORGANISATION } from 'src/config/app-config';

/** A grant as its dataset's admins ask for it: read access for an organisation or for one principal. */
const view = z
  .enum(['full', 'minimised'])
  .optional()
  .meta({ description: "The view the grant gives: full, or the dataset's minimised view; by default minimised for personal data, full otherwise" });

export const newGrantSchema = z.union(
  [
    z.strictObject({ organisation: z.string().regex(ORGANISATION, 'expected an organisation id: lower-case letters, digits and "-"'), view }),
    z.strictObject({ principal: z.string().trim().min(1).max(255), view }),
  ],
  { message: 'a grant names either an organisation ({"organisation": "boras"}) or a principal ({"principal": "<token sub or api-key:<id>>"})' },
);

