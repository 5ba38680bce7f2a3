-- Scores produced by applying a scoring definition (src/scoring/). Checks: lead_scores is unique on
-- (lead_id, definition_version, as_of) and every run_id names a score_runs row; see
-- src/scoring/checks.ts. Like the canonical tables, no index constraints on the big table: they slow
-- bulk inserts.

-- One row per scoring run: which definition (as validated, with its checksum), as of when, how many.
create table score_runs (
  run_id             integer primary key,
  definition_version varchar not null,
  definition_name    varchar,
  definition_file    varchar,
  definition_sha256  varchar not null,
  definition_json    json not null,
  as_of_rule         varchar not null,   -- fixed (one moment for every lead), per-lead, table
  as_of              timestamp,          -- the moment of a fixed run
  started_at         timestamp not null,
  finished_at        timestamp not null,
  leads_scored       bigint not null,
  notes              varchar[]
);

-- One row per lead x definition version x as-of moment. Scoring the same version at the same moment
-- again replaces the rows; run_id names the run that wrote each row.
create table lead_scores (
  lead_id            varchar not null,
  definition_version varchar not null,
  as_of              timestamp not null,
  run_id             integer not null,
  total              integer not null,   -- fit + situational + engagement + negative
  fit                integer not null,   -- firmographic and person criteria
  situational        integer not null,   -- BANT: budget, authority, need, timeline
  engagement         integer not null,   -- decayed, capped activity points
  negative           integer not null,   -- zero or less
  probability        double,             -- only when the definition carries a calibration
  grade              varchar,            -- only when the definition has grade bands
  stage              varchar not null,   -- by thresholds, completeness and disqualification
  points_stage       varchar not null,   -- by thresholds alone
  is_disqualified    boolean not null,
  is_complete        boolean not null,
  completeness       double not null,    -- share of required fields present, 0 to 1
  missing_fields     varchar[] not null,
  reasons            varchar[] not null  -- the largest contributions, in words
);
