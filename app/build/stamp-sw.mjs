// Writes DIR/sw.js from app/sw.js with the list of DIR's files and a version hashed from their
// contents. Run by Trunk after each build (DIR = $TRUNK_STAGING_DIR), or by hand:
//   node app/build/stamp-sw.mjs dist
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const dir = process.argv[2] || process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error("usage: node stamp-sw.mjs DIR (or set TRUNK_STAGING_DIR)");
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
  .filter((f) => f !== "/sw.js" && !f.endsWith(".map"))
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
  .replace("__QT_FILES__", JSON.stringify(files));
writeFileSync(join(dir, "sw.js"), out);
console.log(`sw.js: version ${version}, ${files.length} files precached`);
