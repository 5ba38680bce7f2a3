import { loadSettings } from "../settings.ts";
import type { Contract } from "./contract-types.ts";
import { explainDefinition } from "./explain.ts";
import { DEFAULT_DEFINITION, type LoadedDefinition, loadDefinitionFile } from "./load-definition.ts";

/**
 * The whole contract of a definition file, with the service levels from the report settings
 * (data/settings.yaml, or LEADCAL_SETTINGS): the one place those figures live. A settings file that
 * cannot be read leaves them out, with a warning, rather than failing the explanation.
 */
export function contractFor(
  file: string = DEFAULT_DEFINITION,
  loaded: LoadedDefinition = loadDefinitionFile(file),
): { contract: Contract; loaded: LoadedDefinition; warning?: string } {
  try {
    const settings = loadSettings();
    return { contract: explainDefinition(loaded.def, { serviceLevels: settings.serviceLevels }), loaded };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return {
      contract: explainDefinition(loaded.def),
      loaded,
      warning: `service levels left out: the report settings could not be read (${why})`,
    };
  }
}
