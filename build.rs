// Rebuild when a file is added to the folders folio embeds: the built-in theme and the
// starter site (a changed file is tracked by the compiler itself).
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=src/scaffold/starter");
}
