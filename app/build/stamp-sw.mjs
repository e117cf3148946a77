// Writes DIR/sw.js from app/sw.js with the lists of DIR's files (the main build's, and the staff
// build's under DIR/staff/) and a version hashed from their contents. Run after both Trunk
// builds (scripts/lib.sh, build_client), or by hand:
//   node app/build/stamp-sw.mjs dist
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node stamp-sw.mjs DIR");
  process.exit(2);
}
const template = readFileSync(join(dirname(fileURLToPath(import.meta.url)), "..", "sw.js"), "utf8");

function walk(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(dir)
  .map((p) => "/" + relative(dir, p).split(sep).join("/"))
  // Not the precompressed copies (precompress.mjs): the server sends those for the files.
  .filter((f) => f !== "/sw.js" && !f.endsWith(".map") && !/\.(br|gz)$/.test(f))
  .sort();
const hash = createHash("sha256");
for (const f of files) {
  hash.update(f + "\0");
  hash.update(readFileSync(join(dir, f)));
}
hash.update(template);
const version = hash.digest("hex").slice(0, 16);
const out = template
  .replace('"__QT_VERSION__"', JSON.stringify(version))
  .replace("__QT_FILES__", JSON.stringify(files.filter((f) => !f.startsWith("/staff/"))))
  .replace("__QT_STAFF_FILES__", JSON.stringify(files.filter((f) => f.startsWith("/staff/"))));
writeFileSync(join(dir, "sw.js"), out);
console.log(`sw.js: version ${version}, ${files.length} files precached`);
