using GraphCompiler.Runtime.Text;
using GraphCompiler.Runtime.Embeddings;
using GraphCompiler.Runtime.Tests.Text;

namespace GraphCompiler.Runtime.Tests.Embeddings;

public class EvaluationTests
{
    [Fact]
    public void Analogies_score_sections_only_over_in_vocabulary_questions()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("questions.txt"), """
            : family
            man king woman queen
            man woman king queen
            king queen man woman

            man king woman princess
            : gram-test
            Man King Woman Prince
            """);
        var report = Evaluation.Analogies(TinyEmbedding.Vectors(), dir.File("questions.txt"));

        Assert.Equal(
            [new AnalogyScore("family", 4, 3, 3), new AnalogyScore("gram-test", 1, 1, 0)],
            report.Sections);
        Assert.Equal(new AnalogyScore("semantic", 4, 3, 3), report.Semantic);
        Assert.Equal(new AnalogyScore("syntactic", 1, 1, 0), report.Syntactic);
        Assert.Equal(new AnalogyScore("total", 5, 4, 3), report.Total);
        Assert.Equal(0.75, report.Total.Accuracy);
        Assert.Equal(0.8, report.Total.Coverage);
        Assert.True(double.IsNaN(new AnalogyScore("empty", 2, 0, 0).Accuracy));
    }

    [Fact]
    public void Malformed_question_names_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.txt"), ": s\nman king woman queen\nman king woman\n");
        var e = Assert.Throws<InputFileException>(() => Evaluation.Analogies(TinyEmbedding.Vectors(), dir.File("bad.txt")));
        Assert.Contains("bad.txt:3", e.Message);
    }

    [Fact]
    public void Word_similarity_is_spearman_over_known_pairs()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pairs.tsv"),
            "# a comment\nWord 1\tWord 2\tHuman (mean)\nking\tqueen\t8.5\nKing\tman\t6.0\n\nking\tprince\t9.0\nman\tapple\t1.0\nwoman\tprincess\t7.0\n");
        var score = Evaluation.WordSimilarity(TinyEmbedding.Vectors(), dir.File("pairs.tsv"));
        // Cosines 0.5, 0.707, 0.996, 0 against scores 8.5, 6, 9, 1 (see RankCorrelationTests): ρ = 0.8.
        Assert.Equal(0.8, score.Spearman, 12);
        Assert.Equal(5, score.Pairs);
        Assert.Equal(4, score.Answered);
        Assert.Equal(0.8, score.Coverage);
    }

    [Fact]
    public void Malformed_score_names_file_and_line()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("pairs.tsv"), "king\tqueen\t8.5\nking\tman\tlots\n");
        var e = Assert.Throws<InputFileException>(() => Evaluation.WordSimilarity(TinyEmbedding.Vectors(), dir.File("pairs.tsv")));
        Assert.Contains("pairs.tsv:2", e.Message);
        Assert.Contains("'lots'", e.Message);
    }

    [Fact]
    public void The_shared_evaluation_files_parse_completely()
    {
        var vectors = TinyEmbedding.Vectors();

        var analogies = Evaluation.Analogies(vectors, TestRepository.Shared("eval", "questions-words.txt"));
        Assert.Equal(14, analogies.Sections.Count);
        Assert.Equal("capital-common-countries", analogies.Sections[0].Name);
        Assert.Equal(506, analogies.Sections[0].Questions);
        Assert.Equal(8_869, analogies.Semantic.Questions);
        Assert.Equal(10_675, analogies.Syntactic.Questions);
        Assert.Equal(19_544, analogies.Total.Questions);
        // family holds "man woman king queen" and its permutations, all in the tiny vocabulary.
        Assert.True(analogies.Sections.Single(s => s.Name == "family").Answered > 0);

        var wordSim = Evaluation.WordSimilarity(vectors, TestRepository.Shared("eval", "wordsim353.tsv"));
        Assert.Equal(353, wordSim.Pairs);
        var simLex = Evaluation.WordSimilarity(vectors, TestRepository.Shared("eval", "simlex999.txt"));
        Assert.Equal(999, simLex.Pairs);
    }
}
