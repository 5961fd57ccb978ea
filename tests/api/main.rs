//! API scenarios against a real server, each on a fresh SQLite file and on a fresh PostgreSQL
//! database (see `tests/src/lib.rs`).

mod audit;
mod auth;
mod backups;
mod bad_input;
mod boundary;
mod cases;
mod checklist;
mod dashboards;
mod demo;
mod documents;
mod duplicates;
mod durability;
mod effective;
mod followup_deadlines;
mod form_exports;
mod fuzz;
mod hardening;
mod heatmap;
mod http;
mod import_rules;
mod imports;
mod inbox;
mod mail;
mod matrix;
mod payments;
mod promises;
mod records;
mod scoring;
mod users;
mod viewing;
mod workload;
