-- The model registry: one row per scoring-definition version that calibration produced or measured
-- (src/calibrate/registry.ts). Status moves draft -> approved -> retired; exactly one version is
-- approved (current) at a time once any has been approved. Checks: version unique and not null,
-- status in (draft, approved, retired), an approved version has at least one approval.
create table model_versions (
  version           varchar primary key,
  status            varchar not null,     -- draft, approved, retired
  origin            varchar not null,     -- calibrated (written by calibrate) or file (a hand-set definition measured as champion)
  parent_version    varchar,              -- the champion a calibrated version was compared with
  definition_file   varchar,              -- where the version's YAML was written or read
  definition_sha256 varchar not null,
  definition_yaml   varchar not null,     -- the whole definition, so a version can be restored
  created_at        timestamp not null,
  target_stage      varchar,              -- sql, opportunity, won
  horizon_days      integer,
  holdout_rule      varchar,              -- latest, a date, stratified:F
  seed              integer,
  code_version      varchar,              -- leadcal's package version and git commit when known
  data_fingerprint  varchar,              -- sha256 over the load batches' checksums and counts
  settings          json,                 -- every option of the run
  report            json,                 -- the CalibrationReport (src/calibrate/report.ts)
  approved_at       timestamp,
  approvals         json                  -- [{by, role, on}]
);
