//! `frontend/dist/`: the browser app as the server ships it.
//!
//! rustc (`wasm32-unknown-unknown`, profile `wasm-release`) → wasm-bindgen (as a library, target
//! `web`) → `wasm-opt -Oz` (npm `binaryen@132`; older binaryens cannot read wasm-bindgen 0.2.130's
//! output, see build.md) → the JS glue minified by `esbuild` (npm `esbuild@0.24.2`) →
//! `frontend/static/*` copied beside it, `style.css` minified by `esbuild` too → a `.gz` and a
//! `.br` sibling of every compressible file, which the server sends as they are. The bundle is
//! `/frontend.js` and `/frontend_bg.wasm` at the root of `dist/`.

use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};

use crate::util;

const WASM_TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";
/// The name wasm-bindgen gives the bundle: `frontend.js` and `frontend_bg.wasm`.
const OUT_NAME: &str = "frontend";
/// The esbuild release that minifies the JS glue and the style sheet (−2.9 KB brotli: the
/// comments, the indentation and the glue's long local names).
const ESBUILD_VERSION: &str = "0.24.2";
/// The binaryen release whose `wasm-opt` reads rustc 1.95 / wasm-bindgen 0.2.130 output.
const BINARYEN_VERSION: &str = "132";
/// `--flatten --rereloop` first, then `-Oz` twice: rebuilding the control flow of Yew's markup
/// code before optimising it gives 8.4 KB brotli less than `-Oz -Oz` alone (552.6 → 544.2 KB,
/// measured on the bundle with the overview dashboard), for some 45 s instead of 25 s. Tried and
/// not better: `--converge`, `--gufa`, a third `-Oz`, and flattening twice. The second `-Oz`
/// finds what the first one's changes opened up. Last, the functions are sorted by their names
/// (wasm-bindgen keeps rustc's name section as wasm-opt's input): the copies of one generic
/// function, which differ little, then sit side by side, where brotli finds their likeness
/// cheaply (−3.3 KB brotli; the order of functions changes nothing else).
const WASM_OPT_PASSES: [&str; 5] = ["--flatten", "--rereloop", "-Oz", "-Oz", "--reorder-functions-by-name"];
/// The features rustc 1.95 emits for wasm32; wasm-opt must be told, or it rejects the module.
const WASM_OPT_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];
/// Optimisation assumptions that hold for rustc's wasm32 output. `--low-memory-unused`: nothing
/// lives in the first KB of memory, so wasm-opt may fold constant offsets into loads and stores
/// (−2.7 KB brotli). rust-lld puts the 1 MB stack first, growing down towards 0: only a stack
/// already within 1 KB of overflowing would reach those addresses.
const WASM_OPT_ASSUMPTIONS: [&str; 1] = ["--low-memory-unused"];
/// The whole app, every file at its brotli size where it has one, must stay under this.
///
/// 350 KB when the app had its foundation and document pages (298 KB). The F-19 pages (7) cost
/// 71 KB and the F-18 pages (9) 134 KB: Yew markup and the JSON decoding of their types, which
/// shared builder functions and fewer components cut by only 5–7 KB each, and no wasm-opt pass
/// by more than 1 %. Raised to 560 KB (509 KB now): on a call-centre LAN that is well under a
/// second, and the files are revalidated, not fetched again, on later visits.
pub const BUDGET_BYTES: u64 = 560 * 1024;
/// Files worth compressing (text and wasm); images and fonts are already compressed.
const COMPRESSIBLE: [&str; 12] =
    ["html", "js", "mjs", "css", "wasm", "json", "svg", "txt", "map", "webmanifest", "xml", "ico"];

/// `cargo xtask dist`: build, print the sizes, fail over the budget.
pub fn dist() -> Result<DistSizes> {
    let sizes = build()?;
    if !sizes.within_budget() {
        bail!("the app is {} brotli, over the {} budget (frontend/dist)", kb(sizes.total_brotli), kb(BUDGET_BYTES));
    }
    Ok(sizes)
}

/// Builds `frontend/dist/` and prints its sizes, whatever they are.
pub fn build() -> Result<DistSizes> {
    let started = Instant::now();
    let root = util::root();
    let target = util::target_dir();
    let dist = root.join("frontend").join("dist");

    let wasm = compile_frontend(&target)?;
    // Runs in the same checkout (several people, or a test run beside `cargo xtask run`) take
    // turns from here on: they share the bundle and the staging directory.
    let _turn = exclusive(&target.join("xtask").join("dist.lock"))?;
    let bundle = bundle(&root, &target, &wasm)?;

    // Assembled beside the target and swapped in at the end, so that a server running meanwhile
    // (`cargo xtask run`, another test run) never sees a half-written `dist/`.
    let staging = target.join("xtask").join("dist");
    if staging.exists() {
        fs::remove_dir_all(&staging).with_context(|| format!("removing {}", staging.display()))?;
    }
    fs::create_dir_all(&staging)?;
    copy_tree(&bundle, &staging)?;
    let static_dir = root.join("frontend").join("static");
    if static_dir.is_dir() {
        copy_tree(&static_dir, &staging)?;
    }
    if !staging.join("index.html").exists() {
        bail!("frontend/static/index.html is missing: the app has no page to load it");
    }
    let style = staging.join("style.css");
    if style.is_file() {
        minify(&ensure_build_tools(&root)?.esbuild, &root.join("frontend").join("static").join("style.css"), &style)?;
    }
    compress_tree(&staging)?;

    if dist.exists() {
        fs::remove_dir_all(&dist).with_context(|| format!("removing {}", dist.display()))?;
    }
    if fs::rename(&staging, &dist).is_err() {
        // The target directory is on another file system.
        fs::create_dir_all(&dist)?;
        copy_tree(&staging, &dist)?;
    }
    let sizes = DistSizes::measure(&dist)?;
    print!("{}", sizes.table());
    println!("xtask: dist built in {:.1} s", started.elapsed().as_secs_f64());
    Ok(sizes)
}

/// Holds an exclusive lock on `path` (created if missing) until the returned file is dropped.
fn exclusive(path: &Path) -> Result<fs::File> {
    fs::create_dir_all(path.parent().expect("the lock file is in a directory"))?;
    let file = fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    if file.try_lock().is_err() {
        println!("xtask: waiting for another `dist` in this checkout to finish");
        file.lock().with_context(|| format!("locking {}", path.display()))?;
    }
    Ok(file)
}

/// `cargo build` of the frontend for the browser; returns the path of rustc's wasm.
fn compile_frontend(target: &Path) -> Result<PathBuf> {
    ensure_wasm_target()?;
    println!("xtask: building frontend ({WASM_TARGET}, profile {PROFILE})");
    util::run(util::cargo().args(["build", "-p", "frontend", "--target", WASM_TARGET, "--profile", PROFILE]))?;
    util::check_interrupted()?;
    let wasm = target.join(WASM_TARGET).join(PROFILE).join(format!("{OUT_NAME}.wasm"));
    if !wasm.is_file() {
        bail!("the frontend build wrote no {} (is `frontend` a binary crate?)", wasm.display());
    }
    Ok(wasm)
}

/// `target/xtask/bundle/`: the JS glue and the optimised wasm, each with its `.gz` and `.br`.
/// wasm-bindgen, wasm-opt and brotli take some 20 s, so the bundle is reused for as long as
/// rustc's wasm and this recipe stay the same.
fn bundle(root: &Path, target: &Path, wasm: &Path) -> Result<PathBuf> {
    let dir = target.join("xtask").join("bundle");
    let bindgen_dir = target.join("xtask").join("bindgen");
    // The recipe and rustc's wasm, written once the bundle is complete.
    let key_file = target.join("xtask").join("bundle.key");
    let input = fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let mut key =
        format!("binaryen {BINARYEN_VERSION} {WASM_OPT_PASSES:?} {WASM_OPT_FEATURES:?} {WASM_OPT_ASSUMPTIONS:?} web {OUT_NAME} short-imports esbuild {ESBUILD_VERSION}\n")
            .into_bytes();
    key.extend_from_slice(&input);
    if dir.is_dir() && fs::read(&key_file).is_ok_and(|old| old == key) {
        println!("xtask: the frontend's wasm is unchanged: reusing the optimised bundle");
        return Ok(dir);
    }
    let _ = fs::remove_file(&key_file);
    for stale in [&dir, &bindgen_dir] {
        if stale.exists() {
            fs::remove_dir_all(stale).with_context(|| format!("removing {}", stale.display()))?;
        }
    }

    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_bytes(OUT_NAME, input)
        .web(true)?
        .typescript(false)
        .remove_producers_section(true)
        .generate_output()
        .context("wasm-bindgen")?;
    // The glue's imports by short names (see `short_name`), in the wasm here and in the JS below.
    let glue_module = format!("./{OUT_NAME}_bg.js");
    let mut renames = Vec::new();
    for import in output.wasm_mut().imports.iter_mut().filter(|i| i.module == glue_module) {
        let short = short_name(renames.len());
        renames.push((std::mem::replace(&mut import.name, short.clone()), short));
    }
    output.emit(&bindgen_dir).context("wasm-bindgen")?;
    let glue_path = bindgen_dir.join(format!("{OUT_NAME}.js"));
    let glue = fs::read_to_string(&glue_path)?;
    fs::write(&glue_path, rename_imports(&glue, &renames)?)?;
    // The JS glue and any snippets go as they are; the wasm goes through wasm-opt.
    let bindgen_wasm = target.join("xtask").join("bindgen.wasm");
    fs::rename(bindgen_dir.join(format!("{OUT_NAME}_bg.wasm")), &bindgen_wasm)?;
    fs::create_dir_all(&dir)?;
    copy_tree(&bindgen_dir, &dir)?;
    let tools = ensure_build_tools(root)?;
    let glue = format!("{OUT_NAME}.js");
    minify(&tools.esbuild, &bindgen_dir.join(&glue), &dir.join(&glue))?;
    util::run(
        Command::new(&tools.wasm_opt)
            .args(WASM_OPT_PASSES)
            .args(WASM_OPT_FEATURES)
            .args(WASM_OPT_ASSUMPTIONS)
            .arg(&bindgen_wasm)
            .arg("-o")
            .arg(dir.join(format!("{OUT_NAME}_bg.wasm"))),
    )?;
    util::check_interrupted()?;
    compress_tree(&dir)?;
    fs::write(&key_file, key)?;
    Ok(dir)
}

/// The `n`th short import name: `a`…`z`, `A`…`Z`, then `aa`, `ab`, …
///
/// wasm-bindgen names each import of its glue after the JS it calls and a 16-digit hash
/// (`__wbg_set_onclick_1a2b…`); the two hundred names stand in the wasm's import section and in
/// the glue's import object, and their hashes are noise brotli cannot shrink (−3.4 KB brotli for
/// short names). The glue is the wasm's only importer, so a name only has to match there.
fn short_name(n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let (mut n, mut out) = (n, Vec::new());
    loop {
        out.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    out.reverse();
    String::from_utf8(out).expect("ASCII letters")
}

/// The glue with each import's key in its import object (`name: function(…)`) renamed. Every
/// old name must stand exactly once in the glue, as that key: anything else (a name used twice,
/// one missing) is a wasm-bindgen this recipe does not know, and the build stops.
fn rename_imports(glue: &str, renames: &[(String, String)]) -> Result<String> {
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(glue.len());
    let mut rest = glue;
    let lookup: std::collections::HashMap<&str, &str> =
        renames.iter().map(|(old, new)| (old.as_str(), new.as_str())).collect();
    let mut seen = std::collections::HashSet::new();
    // Walk the glue identifier by identifier; rename those that are import names.
    while let Some(start) = rest.find(is_ident) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !is_ident(c)).unwrap_or(rest.len());
        let word = &rest[..end];
        match lookup.get(word) {
            Some(new) => {
                if !seen.insert(word) {
                    bail!("the wasm import {word} stands twice in the JS glue");
                }
                if !rest[end..].trim_start().starts_with(':') {
                    bail!("the wasm import {word} is not a key of the JS glue's import object");
                }
                out.push_str(new);
            }
            None => out.push_str(word),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    if let Some((old, _)) = renames.iter().find(|(old, _)| !seen.contains(old.as_str())) {
        bail!("the wasm import {old} is not in the JS glue");
    }
    Ok(out)
}

/// `rustup target add wasm32-unknown-unknown` unless it is installed (skipped without rustup).
fn ensure_wasm_target() -> Result<()> {
    let Ok(installed) =
        Command::new("rustup").args(["target", "list", "--installed"]).current_dir(util::root()).output()
    else {
        return Ok(()); // not a rustup toolchain: cargo will say if the target is missing
    };
    if String::from_utf8_lossy(&installed.stdout).lines().any(|line| line.trim() == WASM_TARGET) {
        return Ok(());
    }
    println!("xtask: rustup target add {WASM_TARGET}");
    util::run(Command::new("rustup").args(["target", "add", WASM_TARGET]).current_dir(util::root()))
}

/// The npm tools of the build, at their pinned versions.
struct BuildTools {
    wasm_opt: PathBuf,
    esbuild: PathBuf,
}

/// `node_modules/.bin/wasm-opt` of binaryen 132 and `esbuild` 0.24.2, installed from the root
/// `package.json` if needed.
fn ensure_build_tools(root: &Path) -> Result<BuildTools> {
    let bin = root.join("node_modules").join(".bin");
    let tools = BuildTools { wasm_opt: bin.join("wasm-opt"), esbuild: bin.join("esbuild") };
    let says = |tool: &Path, text: &str| {
        Command::new(tool)
            .arg("--version")
            .output()
            .map(|out| String::from_utf8_lossy(&out.stdout).contains(text))
            .unwrap_or(false)
    };
    let right_versions =
        || says(&tools.wasm_opt, &format!("version {BINARYEN_VERSION}")) && says(&tools.esbuild, ESBUILD_VERSION);
    if right_versions() {
        return Ok(tools);
    }
    // `npm ci` installs exactly the committed lock file and never rewrites it.
    let verb = if root.join("package-lock.json").exists() { "ci" } else { "install" };
    println!("xtask: npm {verb} (binaryen@{BINARYEN_VERSION} for wasm-opt, esbuild@{ESBUILD_VERSION})");
    util::run(Command::new("npm").args([verb, "--no-audit", "--no-fund"]).current_dir(root))
        .context("installing wasm-opt and esbuild (needs Node.js and npm)")?;
    if !right_versions() {
        bail!(
            "{} is not binaryen {BINARYEN_VERSION} or {} not esbuild {ESBUILD_VERSION} after npm {verb}",
            tools.wasm_opt.display(),
            tools.esbuild.display()
        );
    }
    Ok(tools)
}

/// `esbuild --minify` of one file (JS as an ES module, or CSS, by its extension) into `to`.
fn minify(esbuild: &Path, from: &Path, to: &Path) -> Result<()> {
    let mut command = Command::new(esbuild);
    command
        .arg(from)
        .arg("--minify")
        .arg("--log-level=warning")
        .arg("--allow-overwrite")
        .arg(format!("--outfile={}", to.display()));
    if from.extension().is_some_and(|e| e == "js") {
        command.arg("--format=esm");
    }
    util::run_quiet(&mut command).with_context(|| format!("minifying {}", from.display()))?;
    Ok(())
}

/// Copies the files under `from` into `to`, keeping the layout.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from).with_context(|| format!("reading {}", from.display()))? {
        let path = entry?.path();
        let dest = to.join(path.file_name().expect("a directory entry has a name"));
        if path.is_dir() {
            fs::create_dir_all(&dest)?;
            copy_tree(&path, &dest)?;
        } else {
            fs::copy(&path, &dest).with_context(|| format!("copying {} to {}", path.display(), dest.display()))?;
        }
    }
    Ok(())
}

/// Every file under `dir`, recursively, sorted.
fn files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() { pending.push(path) } else { out.push(path) }
        }
    }
    out.sort();
    Ok(out)
}

fn compressible(path: &Path) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| COMPRESSIBLE.contains(&e.to_ascii_lowercase().as_str()))
}

/// `<path>.<ext>`, e.g. `style.css.br`.
fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

/// Writes `<file>.gz` (gzip level 9) and `<file>.br` (brotli quality 11, [`brotli`]) beside each compressible
/// file that has neither yet; the two compressors run on separate threads.
fn compress_tree(dir: &Path) -> Result<()> {
    let sources: Vec<PathBuf> = files(dir)?
        .into_iter()
        .filter(|p| compressible(p) && !(sibling(p, "gz").exists() && sibling(p, "br").exists()))
        .collect();
    std::thread::scope(|scope| {
        let gzip = scope.spawn(|| sources.iter().try_for_each(|p| write_sibling(p, "gz", gzip)));
        let brotli = scope.spawn(|| sources.iter().try_for_each(|p| brotli(p)));
        gzip.join().expect("gzip thread panicked")?;
        brotli.join().expect("brotli thread panicked")
    })
}

fn write_sibling(path: &Path, ext: &str, compress: fn(&[u8]) -> Result<Vec<u8>>) -> Result<()> {
    let data = fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    fs::write(sibling(path, ext), compress(&data)?).with_context(|| format!("writing {}.{ext}", path.display()))
}

fn gzip(data: &[u8]) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    Ok(encoder.finish()?)
}

/// Brotli, quality 11, by Node's `zlib`: the reference C encoder, whose output is 0.7 KB smaller
/// on the wasm than the `brotli` crate's port at the same settings.
const NODE_BROTLI: &str = "const z=require('zlib'),fs=require('fs');const d=fs.readFileSync(process.argv[1]);\
    fs.writeFileSync(process.argv[2],z.brotliCompressSync(d,{params:{[z.constants.BROTLI_PARAM_QUALITY]:11,\
    [z.constants.BROTLI_PARAM_LGWIN]:22,[z.constants.BROTLI_PARAM_SIZE_HINT]:d.length}}));";

/// Writes `<file>.br`.
fn brotli(path: &Path) -> Result<()> {
    util::run_quiet(Command::new("node").arg("-e").arg(NODE_BROTLI).arg(path).arg(sibling(path, "br")))
        .with_context(|| format!("compressing {} with brotli (needs Node.js)", path.display()))?;
    Ok(())
}

/// One shipped file: its size as stored and as sent compressed.
#[derive(Debug, Clone)]
pub struct FileSize {
    pub name: String,
    pub raw: u64,
    pub gzip: Option<u64>,
    pub brotli: Option<u64>,
}

/// The sizes of `frontend/dist/` as a browser downloads it.
#[derive(Debug, Clone)]
pub struct DistSizes {
    pub files: Vec<FileSize>,
    /// Every file at its `.br` size where one exists, else raw.
    pub total_brotli: u64,
}

impl DistSizes {
    /// Reads the sizes of the files (and their `.gz`/`.br` siblings) under `dir`.
    pub fn measure(dir: &Path) -> Result<DistSizes> {
        let size = |path: PathBuf| fs::metadata(path).ok().map(|m| m.len());
        let mut out = Vec::new();
        for path in files(dir)? {
            if matches!(path.extension().and_then(|e| e.to_str()), Some("gz" | "br")) {
                continue;
            }
            out.push(FileSize {
                name: path.strip_prefix(dir).unwrap_or(&path).to_string_lossy().into_owned(),
                raw: fs::metadata(&path)?.len(),
                gzip: size(sibling(&path, "gz")),
                brotli: size(sibling(&path, "br")),
            });
        }
        let total_brotli = out.iter().map(|f| f.brotli.unwrap_or(f.raw)).sum();
        Ok(DistSizes { files: out, total_brotli })
    }

    pub fn within_budget(&self) -> bool {
        self.total_brotli <= BUDGET_BYTES
    }

    fn wasm(&self) -> Option<&FileSize> {
        self.files.iter().find(|f| f.name == format!("{OUT_NAME}_bg.wasm"))
    }

    /// The per-file table and the totals, as `dist` prints them.
    pub fn table(&self) -> String {
        let mut out = format!("{:<32} {:>11} {:>11} {:>11}\n", "frontend/dist", "raw", "gzip", "brotli");
        for f in &self.files {
            let _ = writeln!(out, "{:<32} {:>11} {:>11} {:>11}", f.name, kb(f.raw), opt_kb(f.gzip), opt_kb(f.brotli));
        }
        let _ = writeln!(out, "{}", self.summary_line());
        out
    }

    /// One line: the wasm raw / gzip / brotli and the whole app in brotli against the budget.
    pub fn summary_line(&self) -> String {
        let wasm = match self.wasm() {
            Some(w) => format!("wasm {} raw / {} gzip / {} brotli", kb(w.raw), opt_kb(w.gzip), opt_kb(w.brotli)),
            None => "no wasm".into(),
        };
        format!(
            "SPA: {wasm}; whole app {} brotli in {} files (budget {})",
            kb(self.total_brotli),
            self.files.len(),
            kb(BUDGET_BYTES)
        )
    }
}

/// Bytes as kilobytes of 1024 bytes, one decimal.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1024.0)
}

fn opt_kb(bytes: Option<u64>) -> String {
    bytes.map(kb).unwrap_or_else(|| "-".into())
}
