/// <reference lib="dom" />
// htm bound to preact: tagged templates instead of a JSX transform.
import htm from 'htm';
import { h } from 'preact';

// htm's types are CommonJS to TypeScript under NodeNext (the default import reads as the
// module); the bundler resolves the ES module, whose default export is htm itself.
type Htm = (typeof htm)['default'];

export const html = (htm as unknown as Htm).bind(h);
