//! The server's modules form layers with no cycle: `db` (SQL and the registration core) knows
//! nothing above it; `auth` and `sync` build on `db`; `routes` on all of them. A cycle is how a
//! module quietly starts to depend on one that depends on it (`db` once read `sync`'s SQL and
//! `auth`'s roles), so this test reads every module's `crate::…` paths and fails on one.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each top-level module and the top-level modules it names (tests left out).
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap();
            let top = rel
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .trim_end_matches(".rs")
                .to_owned();
            if top == "lib" || top == "main" {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let text = text.split("#[cfg(test)]\nmod tests").next().unwrap();
            let named = deps.entry(top.clone()).or_default();
            for name in names(text) {
                if name != top {
                    named.insert(name);
                }
            }
        }
    }
    let modules: BTreeSet<String> = deps.keys().cloned().collect();
    for named in deps.values_mut() {
        named.retain(|n| modules.contains(n));
    }
    deps
}

/// The first segment of every `crate::` path in `text`, `use crate::{a, b::c}` included.
fn names(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.insert(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            found.insert(first_segment(&item));
        } else {
            found.insert(first_segment(rest));
        }
    }
    found.remove("");
    found
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
        .collect()
}

#[test]
fn the_server_modules_have_no_import_cycle() {
    let deps = dependencies();
    assert!(
        deps.contains_key("db") && deps.contains_key("routes"),
        "{deps:?}"
    );
    // Depth-first search for a cycle, reporting the path.
    fn visit(
        m: &str,
        deps: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(i) = path.iter().position(|p| p == m) {
            panic!("import cycle: {} -> {m}", path[i..].join(" -> "));
        }
        if done.contains(m) {
            return;
        }
        path.push(m.to_owned());
        for d in &deps[m] {
            visit(d, deps, path, done);
        }
        path.pop();
        done.insert(m.to_owned());
    }
    let mut done = BTreeSet::new();
    for m in deps.keys() {
        visit(m, &deps, &mut Vec::new(), &mut done);
    }
    // And the layers as ARCHITECTURE.md draws them.
    assert!(
        deps["db"].is_empty(),
        "db knows nothing above it: {:?}",
        deps["db"]
    );
    assert!(!deps["sync"].contains("routes"), "{:?}", deps["sync"]);
    assert!(!deps["auth"].contains("routes"), "{:?}", deps["auth"]);
}

#[test]
fn crate_paths_are_read_in_both_forms() {
    let found = names("use crate::{a::b, c, d::{e, f}};\nlet x = crate::g::h();");
    let expected: BTreeSet<String> = ["a", "c", "d", "g"].map(String::from).into();
    assert_eq!(found, expected);
}
