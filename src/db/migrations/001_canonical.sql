-- Canonical tables. Grain first; every table's checks live in src/db/checks.ts.
-- Keys are enforced by the loader (upsert on the key) and verified by `leadcal check`, not by
-- index constraints: DuckDB indexes slow bulk loads and block adding the extra source columns.
-- Timestamps are naive and read as UTC. batch_id points at the load that last wrote the row.

-- One row per file load (a batch). rows_read = rows_loaded + rows_rejected, always.
create table load_batches (
  batch_id        integer primary key,
  file_name       varchar not null,
  file_path       varchar not null,
  checksum_sha256 varchar not null,
  size_bytes      bigint not null,
  format          varchar not null,
  encoding        varchar,
  mapping         varchar not null,
  target_tables   varchar[] not null,
  started_at      timestamp not null,
  finished_at     timestamp not null,
  rows_read       bigint not null,
  rows_loaded     bigint not null,
  rows_rejected   bigint not null,
  rows_inserted   bigint not null,
  rows_updated    bigint not null,
  notes           varchar[]
);

-- One row per reason a source row was refused (a row can fail several checks).
create table load_rejects (
  batch_id     integer not null,
  row_number   bigint,
  column_name  varchar,
  reason       varchar not null,
  raw_values   json
);

-- One row per lead. Extra source columns are added as further columns by the loader.
create table leads (
  lead_id           varchar not null,
  created_at        timestamp,
  source            varchar,
  channel           varchar,
  campaign          varchar,
  company           varchar,
  employees         integer,
  annual_revenue    double,
  industry          varchar,
  country           varchar,
  first_name        varchar,
  last_name         varchar,
  email             varchar,
  phone             varchar,
  job_title         varchar,
  seniority         varchar,
  department        varchar,
  email_domain_kind varchar,   -- business, personal, student, competitor, unknown
  budget            varchar,
  authority         varchar,   -- decision_maker, influencer, gatekeeper, none
  need              varchar,
  timeline          varchar,
  lifecycle_stage   varchar,   -- the stage the export says the lead is in now
  is_converted      boolean,   -- a plain converted flag, for exports with no stage history
  owner             varchar,
  updated_at        timestamp,
  batch_id          integer not null
);

-- One row per lead entering a stage.
create table lead_stage_changes (
  lead_id    varchar not null,
  stage      varchar not null,  -- lead, mql, sql, opportunity, won, lost, disqualified, recycled
  entered_at timestamp,
  batch_id   integer not null
);

-- One row per engagement event.
create table activities (
  activity_id   varchar not null,  -- the source's id, or a hash of the natural key
  lead_id       varchar not null,
  occurred_at   timestamp not null,
  activity_type varchar not null,  -- page_view, pricing_page_view, content_download, form_fill, ...
  detail        varchar,           -- page, asset or campaign
  party         varchar,           -- first or third (intent data)
  batch_id      integer not null
);

-- One row per call, email or meeting by sales.
create table sales_touches (
  touch_id    varchar not null,
  lead_id     varchar not null,
  occurred_at timestamp not null,
  kind        varchar not null,    -- call, email, meeting
  rep         varchar,
  batch_id    integer not null
);

-- One row per deal (opportunity).
create table deals (
  deal_id    varchar not null,
  lead_id    varchar,
  account    varchar,
  created_at timestamp,
  closed_at  timestamp,
  outcome    varchar not null,     -- won, lost, open
  stage      varchar,              -- the source's own stage name
  amount     double,
  owner      varchar,
  batch_id   integer not null
);

-- One row per period x channel x team.
create table costs (
  period_start date not null,
  period_end   date not null,
  channel      varchar not null,   -- 'unallocated' for cost that belongs to no channel
  team         varchar not null,   -- marketing, sales
  amount       double not null,
  currency     varchar,
  batch_id     integer not null
);

-- One row per account (company), for exports that keep firmographics on accounts.
create table accounts (
  account_id     varchar not null,
  name           varchar,
  industry       varchar,
  employees      integer,
  annual_revenue double,
  country        varchar,
  batch_id       integer not null
);

-- Extra source columns kept beside the canonical ones: where each came from and its type.
create table extra_columns (
  table_name    varchar not null,
  column_name   varchar not null,
  source_header varchar not null,
  data_type     varchar not null,
  first_batch   integer not null,
  primary key (table_name, column_name)
);
