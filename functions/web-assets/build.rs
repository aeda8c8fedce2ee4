//! Hashes every file in `static/` and writes `$OUT_DIR/assets.rs`: one
//! `Asset` per file under its content-hashed name (`app.css` becomes
//! `app.<hash>.css`) and a constant with its address for each
//! (`APP_CSS = "/static/app.<hash>.css"`), so the pages and the assets
//! component agree on names by construction and a changed file gets a new
//! name (it may be cached forever).

use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("static/").map(|e| e.unwrap().path()).collect();
    files.sort();
    let mut table = String::from("pub static FILES: &[Asset] = &[\n");
    let mut consts = String::new();
    for path in files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file_name = path.file_name().unwrap().to_str().unwrap();
        let (stem, extension) = file_name.rsplit_once('.').expect("static files have an extension");
        let content_type = match extension {
            "css" => "text/css; charset=utf-8",
            "js" | "mjs" => "text/javascript; charset=utf-8",
            "svg" => "image/svg+xml",
            "png" => "image/png",
            "ico" => "image/x-icon",
            "txt" => "text/plain; charset=utf-8",
            other => panic!("static/{file_name}: no content type known for .{other}; add it in build.rs"),
        };
        let digest = hex::encode(Sha256::digest(std::fs::read(&path).unwrap()));
        // 10 hex digits (40 bits) in the name keep addresses short; the ETag
        // carries 32 (128 bits), a strong validator by RFC 9110 §8.8.1.
        let name = format!("{stem}.{}.{extension}", &digest[..10]);
        writeln!(
            table,
            "    Asset {{ name: {name:?}, content_type: {content_type:?}, etag: {etag:?}, bytes: include_bytes!({path:?}) }},",
            etag = format!("\"{}\"", &digest[..32]),
            path = path.display().to_string(),
        )
        .unwrap();
        let constant: String = file_name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
        writeln!(consts, "/// The address of `static/{file_name}`.\npub const {constant}: &str = \"/static/{name}\";").unwrap();
    }
    table.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("assets.rs");
    std::fs::write(out, format!("{table}\n{consts}")).unwrap();
}
