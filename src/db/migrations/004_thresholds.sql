-- Threshold sweeps (src/thresholds/): one row per run, and one row per run x window x stage x
-- cut-off with the aggregates the Thresholds page shows. Aggregates only: no lead-level data.
-- Checks: run_id names a threshold_runs row; leads never rise as the threshold rises.
create table threshold_runs (
  run_id          integer primary key,
  version         varchar not null,     -- the definition version swept
  created_at      timestamp not null,
  settings        json not null,        -- capacity, touches, floor, commitment, objective
  recommendation  json not null         -- the recommended thresholds, the binding constraint, their figures
);

create table threshold_sweeps (
  run_id              integer not null,
  part                varchar not null,  -- train (where the recommendation is chosen) or holdout (where it is reported)
  stage               varchar not null,  -- the threshold's stage (mql, sql, ...)
  threshold           integer not null,  -- min_score: a lead qualifies at total >= threshold (and the stage's other conditions)
  leads               bigint not null,   -- leads qualifying in the window
  per_week            double not null,
  per_quarter         double not null,
  conversions         bigint not null,   -- of them, reached the definition's outcome within its horizon
  rate                double,            -- conversions / leads
  rate_low            double,            -- Wilson 95% interval
  rate_high           double,
  capture             double,            -- share of all the window's conversions
  wins                bigint not null,   -- of them, won a deal
  revenue             double,            -- won deal amounts (null when no deal amounts are loaded)
  cost_per_sql        double,            -- the window's marketing + sales cost / leads qualifying (null without costs)
  workload_per_week   double not null    -- leads per week x touches the service level asks for each
);
