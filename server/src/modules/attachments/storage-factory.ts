import path from "node:path";
import type { Config } from "../../config.js";
import { LocalDiskStorage } from "./local-disk-storage.js";
import type { AttachmentStorage } from "./storage.js";

/** The one place the store is chosen: files under DATA_DIR/attachments. */
export function createAttachmentStorage(config: Pick<Config, "dataDir">): AttachmentStorage {
  return new LocalDiskStorage(path.join(config.dataDir, "attachments"));
}

const stores = new WeakMap<Config, AttachmentStorage>();

/** The storage of this configuration, made once and shared by every route that reads or writes attachments. */
export function attachmentStorage(config: Config): AttachmentStorage {
  let store = stores.get(config);
  if (!store) {
    store = createAttachmentStorage(config);
    stores.set(config, store);
  }
  return store;
}
