// `sqlx::migrate!` embeds the migrations when `app` is compiled: compile it again when
// one is added or changed (sqlx's own advice).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
