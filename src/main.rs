mod allocator;

#[global_allocator]
static ALLOCATOR: allocator::ByCommand = allocator::ByCommand::new();

fn main() -> std::process::ExitCode {
    jiaodui::cli::main()
}
