/** dynosim's version, from package.json: it goes into every summary, since results are reproducible per version. */
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
