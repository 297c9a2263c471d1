//! The `voci` command: everything it does lives in [`voci_server::cli`].

fn main() -> std::process::ExitCode {
    voci_server::cli::main()
}
