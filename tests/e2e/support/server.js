// Starts the release server on port 0 with a temporary database and its own copy of the
// built client (so a spec may "deploy" a new build without touching anyone else's).
const { spawn, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..", "..");
const SERVER = process.env.QT_SERVER_BIN || path.join(ROOT, "target", "release", "server");
const DIST = process.env.QT_DIST || path.join(ROOT, "dist");

/**
 * `hoursNoticeDays`: the hours' public notice (`--hours-notice-days`), the server's default (3)
 * unless given.
 */
async function startServer({ demo = true, hoursNoticeDays } = {}) {
  if (!fs.existsSync(path.join(DIST, "index.html"))) {
    throw new Error(`no built client in ${DIST}: run the test command, which builds it`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "qingtuan-e2e-"));
  const staticDir = path.join(dir, "static");
  fs.cpSync(DIST, staticDir, { recursive: true });
  const args = [
    "--addr", "127.0.0.1:0",
    "--database-url", `sqlite://${path.join(dir, "qt.db")}`,
    "--static-dir", staticDir,
  ];
  if (demo) args.push("--demo");
  if (hoursNoticeDays !== undefined) args.push("--hours-notice-days", String(hoursNoticeDays));
  const child = spawn(SERVER, args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, RUST_LOG: "warn" } });
  let log = "";
  child.stderr.on("data", (d) => (log += d));
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${log}`)), 20_000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[^\s/]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on("exit", (code) => reject(new Error(`server exited (${code}):\n${out}\n${log}`)));
  });
  return {
    url,
    staticDir,
    /** Simulates deploying a new build: a changed file set, and sw.js stamped again. */
    deployNewBuild() {
      fs.writeFileSync(path.join(staticDir, "release-note.txt"), `build ${Date.now()}\n`);
      execFileSync("node", [path.join(ROOT, "app", "build", "stamp-sw.mjs"), staticDir]);
      // As the build does: the server sends sw.js.br or .gz to browsers that accept them.
      execFileSync("node", [path.join(ROOT, "app", "build", "precompress.mjs"), staticDir]);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

module.exports = { startServer };
