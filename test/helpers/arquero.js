// The pages import arquero's browser bundle (`arquero/dist/arquero.js`: Framework bundles it, and the
// source entry would pull node:fs into the browser). That bundle is UMD, which Node cannot import as a
// module, so vitest resolves it to the package's own ES entry through this default export.
import * as aq from "arquero";

export default aq;
