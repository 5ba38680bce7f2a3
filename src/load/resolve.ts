import { UserError } from "../errors.ts";
import { loadMappingFile, loadPreset, type Mapping } from "./mapping.ts";
import type { CanonicalTable } from "./tables.ts";

/** How the user said to read the files: a preset, a mapping file, or a table in leadcal's plain format. */
export interface MappingChoice {
  preset?: string;
  mappingFile?: string;
  /** Load only this table of a mapping that fills several. */
  table?: CanonicalTable;
}

/** leadcal's own plain format for each table (headers = canonical column names). */
export const PLAIN_PRESETS: Record<CanonicalTable, string> = {
  leads: "leadcal-leads",
  lead_stage_changes: "leadcal-stage-changes",
  activities: "leadcal-activities",
  sales_touches: "leadcal-sales-touches",
  deals: "leadcal-deals",
  costs: "costs",
  accounts: "maven-accounts",
};

export function resolveMapping(opts: MappingChoice): Mapping {
  if (opts.preset && opts.mappingFile) throw new UserError("give either --preset or --mapping, not both");
  let mapping: Mapping;
  if (opts.mappingFile) mapping = loadMappingFile(opts.mappingFile);
  else if (opts.preset) mapping = loadPreset(opts.preset);
  else if (opts.table) mapping = loadPreset(PLAIN_PRESETS[opts.table]);
  else
    throw new UserError(
      "say how to read the file: --preset NAME, --mapping FILE, or --table T for leadcal's plain format",
    );
  if (opts.table) {
    const only = mapping.targets.filter((t) => t.table === opts.table);
    if (only.length === 0) {
      throw new UserError(
        `mapping ${mapping.name} fills ${mapping.targets.map((t) => t.table).join(", ")}, not ${opts.table}`,
      );
    }
    mapping = { ...mapping, targets: only };
  }
  return mapping;
}
