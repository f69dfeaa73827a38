using System.IO.Compression;

namespace Tap.LocalAws.Tests.Lambda;

/// <summary>
/// AWS's custom runtime tutorial as a deployment package: a bash <c>bootstrap</c> that polls the Runtime API with
/// curl, and <c>function.sh</c>, whose handler echoes the event with what the environment told it (and crashes or
/// sleeps when the event says so).
/// </summary>
internal static class TutorialRuntime
{
    public const string Handler = """
        function handler () {
          EVENT_DATA=$1
          case "$EVENT_DATA" in *crash*) kill -9 $$ ;; esac
          case "$EVENT_DATA" in *sleep*) sleep 8 ;; esac
          echo "{\"echo\":$EVENT_DATA,\"pid\":$$,\"name\":\"$AWS_LAMBDA_FUNCTION_NAME\",\"memory\":\"$AWS_LAMBDA_FUNCTION_MEMORY_SIZE\",\"root\":\"$LAMBDA_TASK_ROOT\",\"key\":\"${AWS_ACCESS_KEY_ID:0:4}\",\"mode\":\"${MODE:-}\",\"handler\":\"$_HANDLER\"}"
        }
        """;

    // AWS's custom runtime tutorial, as written there (bash, curl), answering each event with the handler's output.
    public const string Bootstrap = """
        #!/bin/bash
        set -euo pipefail
        source "$LAMBDA_TASK_ROOT/$(echo "$_HANDLER" | cut -d. -f1).sh"
        while true
        do
          HEADERS="$(mktemp)"
          EVENT_DATA=$(curl -sS -LD "$HEADERS" "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/next")
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
          RESPONSE=$($(echo "$_HANDLER" | cut -d. -f2) "$EVENT_DATA")
          curl -sS "http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime/invocation/$REQUEST_ID/response" -d "$RESPONSE" > /dev/null
        done
        """;

    /// <summary>The tutorial's package: <c>bootstrap</c> and <c>function.sh</c>, executable or (as a zip made on Windows) not.</summary>
    public static byte[] Zip(bool executable)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in (ValueTuple<string, string>[])[("bootstrap", Bootstrap), ("function.sh", Handler)])
            {
                var entry = zip.CreateEntry(name);
                entry.ExternalAttributes = executable ? (0x8000 | 0b111_101_101) << 16 : 0;
                using var writer = new StreamWriter(entry.Open());
                writer.Write(content.ReplaceLineEndings("\n") + "\n");
            }
        }

        return buffer.ToArray();
    }
}
