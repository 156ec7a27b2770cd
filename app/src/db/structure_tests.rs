//! The data layer's structure, read from its sources. Its modules form layers: none uses
//! a module that, directly or through others, uses it; and every public async function
//! (a query) is traced (`#[tracing::instrument]`). The modules' uses are each file's
//! `crate::db::…`, `super::…` and `self::…` paths (and `use` groups), resolved to the
//! module file they name, through `pub use` re-exports. `db` itself (the errors, `now`,
//! `today`, re-exports) is under them all.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Every module file of `db` but the tests and the test-only scratch database, with its
/// comments and test modules left out.
fn sources() -> BTreeMap<Module, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/db");
    let mut out = BTreeMap::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() {
                if name != "tests" {
                    dirs.push(path);
                }
                continue;
            }
            let Some(stem) = name.strip_suffix(".rs") else { continue };
            if stem.ends_with("_tests") || stem == "scratch" {
                continue;
            }
            let mut module: Module =
                path.parent().unwrap().strip_prefix(&root).unwrap().iter().map(|c| c.to_string_lossy().to_string()).collect();
            if stem != "mod" {
                module.push(stem.to_string());
            }
            out.insert(module, without_comments_and_tests(&std::fs::read_to_string(&path).unwrap()));
        }
    }
    out
}

fn without_comments_and_tests(text: &str) -> String {
    let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
    code.lines().map(|l| l.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The paths written in `code` that start at `crate::db`, `super` or `self`, each as the
/// module it starts from (`base`, relative to `module`) and its segments.
fn paths(module: &Module, code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let at_start = i == 0 || !is_ident(chars[i - 1]) && chars[i - 1] != ':';
        let rest: String = chars[i..chars.len().min(i + 11)].iter().collect();
        if !at_start || !(rest.starts_with("crate::db::") || rest.starts_with("super::") || rest.starts_with("self::")) {
            i += 1;
            continue;
        }
        let (path, end) = path_at(&chars, i);
        i = end;
        let mut base: Module = module.clone();
        let mut segments = path.into_iter().peekable();
        if segments.peek().map(String::as_str) == Some("crate") {
            segments.nth(1);
            base.clear();
        }
        while segments.peek().map(String::as_str) == Some("super") {
            segments.next();
            base.pop();
        }
        if segments.peek().map(String::as_str) == Some("self") {
            segments.next();
        }
        let rest: Vec<String> = segments.collect();
        for tail in split_groups(&rest) {
            out.push(base.iter().cloned().chain(tail).collect());
        }
    }
    out
}

/// The path starting at `chars[start]`: its segments, a `{…}` group kept as one segment.
fn path_at(chars: &[char], start: usize) -> (Vec<String>, usize) {
    let mut segments = Vec::new();
    let mut i = start;
    loop {
        if chars.get(i) == Some(&'{') {
            let mut depth = 0;
            let from = i;
            while i < chars.len() {
                match chars[i] {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            i += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
            segments.push(chars[from..i].iter().collect());
            return (segments, i);
        }
        let from = i;
        while i < chars.len() && is_ident(chars[i]) {
            i += 1;
        }
        if i == from {
            return (segments, i);
        }
        segments.push(chars[from..i].iter().collect());
        if chars.get(i) == Some(&':') && chars.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            return (segments, i);
        }
    }
}

/// A path whose last segment is a `{a, b::c, self}` group, as one path per item.
fn split_groups(segments: &[String]) -> Vec<Vec<String>> {
    let Some(last) = segments.last().filter(|s| s.starts_with('{')) else { return vec![segments.to_vec()] };
    let head = &segments[..segments.len() - 1];
    let inner: Vec<char> = last[1..last.len() - 1].chars().collect();
    let mut items = Vec::new();
    let (mut depth, mut from) = (0, 0);
    for (k, c) in inner.iter().enumerate() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(inner[from..k].iter().collect::<String>());
                from = k + 1;
            }
            _ => {}
        }
    }
    items.push(inner[from..].iter().collect());
    let mut out = Vec::new();
    for item in items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let item = item.split(" as ").next().unwrap().trim();
        let (path, _) = path_at(&item.chars().collect::<Vec<_>>(), 0);
        let path: Vec<String> = path.into_iter().filter(|s| s != "self").collect();
        for tail in split_groups(&path) {
            out.push(head.iter().cloned().chain(tail).collect());
        }
    }
    out
}

/// `pub use` items of each module: the path they are known by, and the path they name.
fn re_exports(sources: &BTreeMap<Module, String>) -> BTreeMap<Vec<String>, Vec<String>> {
    let mut out = BTreeMap::new();
    for (module, code) in sources {
        for statement in code.split(';') {
            let statement = statement.trim();
            let Some(path) = statement.strip_prefix("pub use ").or_else(|| statement.strip_prefix("pub(crate) use ")) else {
                continue;
            };
            // relative to the module itself (a child's name) unless it says otherwise
            let path = if path.starts_with("crate::") || path.starts_with("super::") || path.starts_with("self::") {
                path.to_string()
            } else {
                format!("self::{path}")
            };
            for target in paths(module, &path) {
                let mut known_as = module.clone();
                known_as.push(target.last().unwrap().clone());
                out.insert(known_as, target);
            }
        }
    }
    out
}

/// The module file a path names (its longest prefix that is one), through re-exports.
fn resolve(
    mut path: Vec<String>,
    sources: &BTreeMap<Module, String>,
    re_exports: &BTreeMap<Vec<String>, Vec<String>>,
) -> Option<Module> {
    let mut hops = 0;
    while !path.is_empty() && hops < 100 {
        hops += 1;
        if sources.contains_key(&path) {
            return Some(path);
        }
        if let Some(target) = re_exports.get(&path) {
            path = target.clone();
            continue;
        }
        path.pop();
    }
    None
}

fn uses() -> BTreeMap<Module, BTreeSet<Module>> {
    let sources = sources();
    let re_exports = re_exports(&sources);
    let mut out = BTreeMap::new();
    for (module, code) in &sources {
        let used: BTreeSet<Module> = paths(module, code)
            .into_iter()
            .filter_map(|p| resolve(p, &sources, &re_exports))
            .filter(|m| m != module && !m.is_empty())
            .collect();
        out.insert(module.clone(), used);
    }
    out.remove(&Vec::new());
    out
}

/// A cycle of the graph, if there is one: its modules in order, the first again at the end.
fn cycle(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Option<Vec<Module>> {
    fn visit(
        m: &Module,
        graph: &BTreeMap<Module, BTreeSet<Module>>,
        stack: &mut Vec<Module>,
        done: &mut BTreeSet<Module>,
    ) -> Option<Vec<Module>> {
        if let Some(at) = stack.iter().position(|s| s == m) {
            return Some(stack[at..].iter().cloned().chain([m.clone()]).collect());
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.clone());
        for next in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, graph, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.clone());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

fn name(m: &Module) -> String {
    m.join("::")
}

#[test]
fn the_modules_of_db_have_no_cycles() {
    let graph = uses();
    if let Some(c) = cycle(&graph) {
        panic!("db modules use each other: {}", c.iter().map(name).collect::<Vec<_>>().join(" -> "));
    }
}

#[test]
fn the_reading_of_the_sources_sees_what_is_used() {
    let graph = uses();
    let used = |from: &str, to: &str| {
        let of = |s: &str| s.split("::").map(String::from).collect::<Module>();
        graph.get(&of(from)).is_some_and(|u| u.contains(&of(to)))
    };
    // a `use super::{…}` group, a `crate::db::` path, a re-export (`Db` is `pool`'s), a
    // sibling through `super::` from a submodule, and an inline `super::x::f()` call
    assert!(used("requests", "timeline"), "{graph:?}");
    assert!(used("list::build", "conditions"));
    assert!(used("audit", "pool"));
    assert!(used("list::plan", "list::facts"));
    assert!(used("totals::count", "totals::read"));
    assert!(used("users", "decode"));
    // and a cycle is found when there is one
    let mut with_cycle = graph.clone();
    with_cycle.get_mut(&vec!["pool".to_string()]).unwrap().insert(vec!["audit".to_string()]);
    let found = cycle(&with_cycle).expect("a cycle");
    assert!(found.contains(&vec!["pool".to_string()]) && found.contains(&vec!["audit".to_string()]), "{found:?}");
}

#[test]
fn every_public_async_function_of_db_is_instrumented() {
    let mut bare = Vec::new();
    for (module, code) in sources() {
        let lines: Vec<&str> = code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if !line.trim_start().starts_with("pub async fn ") {
                continue;
            }
            // the attributes above it (doc comments were left out as empty lines)
            let above = lines[..i].iter().rev().take_while(|l| l.trim().is_empty() || l.trim_start().starts_with("#["));
            if !above.clone().any(|l| l.contains("tracing::instrument")) {
                bare.push(format!("{}: {}", name(&module), line.trim()));
            }
        }
    }
    assert!(bare.is_empty(), "without #[tracing::instrument]:\n{}", bare.join("\n"));
}
