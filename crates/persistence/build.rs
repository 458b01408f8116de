// `sqlx::migrate!` embeds the migrations folder at compile time; rebuild when it changes
// (cargo does not see files a macro reads).
fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
