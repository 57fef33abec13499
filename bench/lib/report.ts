import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./dataset.js";

/** The machine a figure was measured on. */
export function machine(): { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string } {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model ?? "unknown", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` };
}

/** The 1, 5 and 15 minute load averages, rounded. */
export function loadAverage(): number[] {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}

/** One scenario's outcome: what was measured, the budget rows it answers, and whether they hold. */
export interface ScenarioResult {
  scenario: string;
  title: string;
  dialect: "sqlite" | "postgres";
  /** Whether the run is usable (an open-loop generator that fell behind makes it invalid). */
  valid: boolean;
  notes: string[];
  figures: Record<string, unknown>;
  checks: { row: string; value: number; target: string; met: boolean }[];
}

export const RESULTS_DIR = path.join(ROOT, "bench", "results");

/** Appends a result as one JSON line to bench/results/<scenario>.jsonl (git-ignored) and returns the record. */
export function appendResult(result: ScenarioResult, smoke: boolean): Record<string, unknown> {
  const record = { at: new Date().toISOString(), smoke, machine: machine(), loadAverage: loadAverage(), ...result };
  if (!smoke) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    fs.appendFileSync(path.join(RESULTS_DIR, `${result.scenario}.jsonl`), `${JSON.stringify(record)}\n`);
  }
  return record;
}

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2));

/** A human summary of a result, printed as the scenario ends. */
export function printResult(result: ScenarioResult, log: (line: string) => void): void {
  log(`\n== ${result.scenario} ${result.title} (${result.dialect})${result.valid ? "" : " — INVALID RUN"}`);
  log(`   load average ${loadAverage().join(" / ")}`);
  for (const [name, value] of Object.entries(result.figures)) {
    log(`   ${name}: ${typeof value === "number" ? fmt(value) : JSON.stringify(value)}`);
  }
  for (const check of result.checks) {
    log(`   [${check.met ? "met" : "NOT MET"}] ${check.row}: ${fmt(check.value)} (target ${check.target})`);
  }
  for (const note of result.notes) {
    log(`   note: ${note}`);
  }
}

/** Adds a budget check: `value` against `limit`, lower or higher being better. */
export function check(result: ScenarioResult, row: string, value: number, op: "<=" | ">=", limit: number): void {
  const met = Number.isFinite(value) && (op === "<=" ? value <= limit : value >= limit);
  result.checks.push({ row, value: Math.round(value * 1000) / 1000, target: `${op} ${limit}`, met });
}
