fn main() -> std::process::ExitCode {
    jiaodui::cli::main()
}
