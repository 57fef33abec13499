import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadDataset, productEnv } from "./dataset.js";

let folder: string | undefined;
afterEach(() => {
  if (folder) {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

describe("loadDataset", () => {
  it("opens a copied dataset's own files, not the folder it was seeded in", () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "parley-dataset-"));
    fs.writeFileSync(path.join(folder, "bench-team.json"), JSON.stringify({ version: 1, dialect: "sqlite", schema: null, dataDir: "/somewhere/else/100k", conversations: 10 }));
    const dataset = loadDataset(folder);
    expect(dataset.dataDir).toBe(path.resolve(folder));
    expect(productEnv(dataset)).toEqual({ DATA_DIR: path.resolve(folder) });
  });

  it("says how to seed a folder that holds no dataset", () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), "parley-dataset-"));
    expect(() => loadDataset(folder!)).toThrow(/bench-team.json is missing/);
  });
});
