// Writes a corpus tokenised by the runtime's rule (GraphCompiler.Runtime.Text.Tokenizer, the one the
// Word2Vec program uses) as space-separated tokens, so the Python references train on exactly the
// same token stream. Lines hold at most 10,000 tokens: gensim cuts longer sentences there anyway.
// Usage: dotnet run tokenize-corpus.cs -- CORPUS OUTPUT
#:project ../../src/GraphCompiler.Runtime/GraphCompiler.Runtime.csproj
#:property PublishAot=false
using GraphCompiler.Runtime.Text;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run tokenize-corpus.cs -- CORPUS OUTPUT");
    return 2;
}
const int TokensPerLine = 10_000;
long count = 0;
using (var output = new StreamWriter(args[1], append: false, new System.Text.UTF8Encoding(false)))
{
    output.NewLine = "\n";
    int onLine = 0;
    foreach (var token in Corpus.Open(args[0]).Tokens())
    {
        if (onLine > 0) output.Write(' ');
        output.Write(token);
        count++;
        if (++onLine == TokensPerLine)
        {
            output.WriteLine();
            onLine = 0;
        }
    }
    if (onLine > 0) output.WriteLine();
}
Console.WriteLine($"{count} tokens written to {args[1]}");
return 0;
