var app = WebApplication.CreateSlimBuilder(args).Build();
app.MapGet("/", () => "hello");
app.Run();
