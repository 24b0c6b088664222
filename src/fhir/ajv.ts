import { Ajv, type Options } from 'ajv';
import formats from 'ajv-formats';

export { Ajv };
export type { ErrorObject, ValidateFunction } from 'ajv';

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the
// module object, so take `.default` when it is there.
const addFormats = ((formats as unknown as { default?: typeof formats }).default ?? formats) as unknown as (ajv: Ajv) => Ajv;

/** An ajv instance with the standard formats; the one place ajv's CJS interop is handled. */
export function createAjv(options: Options = {}): Ajv {
  const ajv = new Ajv({ strict: false, ...options });
  addFormats(ajv);
  return ajv;
}
