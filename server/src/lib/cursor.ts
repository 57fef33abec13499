import { invalidField } from "../errors.js";

/** An opaque keyset position: a sort value and the id that breaks ties. */
export interface Position {
  at: number;
  id: string;
}

/** Encodes a keyset position for a `cursor` parameter. */
export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.at, position.id])).toString("base64url");
}

/** Decodes a `cursor` parameter; 400 when it was not made by encodeCursor. */
export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined || cursor === "") {
    return undefined;
  }
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === "number" && Number.isFinite(value[0]) && typeof value[1] === "string" && value[1].length <= 64) {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // fall through to the 400 below
  }
  throw invalidField("cursor", "not a cursor this API returned");
}
