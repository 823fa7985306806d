using DeepLearning.Trainers.Analysis;
using Microsoft.ML;

namespace DeepLearning.Tests.Analysis;

/// <summary>The spreadsheet method: tag counts, shares and ceilings against a hand computation, and every misuse refused.</summary>
public class ErrorTagSheetTests
{
    private static readonly string[] Tags = ["blurry", "dog", "mislabelled"];

    private sealed class Scored
    {
        public string Label { get; set; } = "";

        public string PredictedLabel { get; set; } = "";
    }

    [Fact]
    public void CountsSharesAndCeilingsMatchAHandComputation()
    {
        // 10 labelled rows, 4 wrong (1, 3, 6, 8): error 0.4; row 9 has no label and does not count.
        string?[] truth = ["cat", "cat", "dog", "dog", "cat", "dog", "cat", "cat", "dog", null, "dog"];
        string?[] predicted = ["cat", "dog", "dog", "cat", "cat", "dog", "dog", "cat", "cat", "cat", "dog"];
        var sheet = ErrorTagSheet.FromLabels(Tags, truth, predicted);
        Assert.Equal([1, 3, 6, 8], sheet.Misclassified.Select(m => m.Row));
        Assert.Equal(0.4, sheet.ErrorRate, 12);

        sheet.Tag(1, "blurry", "dog");
        sheet.Tag(3, "dog");
        sheet.Tag(6);
        sheet.Tag(8, "mislabelled");
        sheet.Tag(3, "dog");   // tagging again adds nothing new

        // Examined 4 errors: blurry 1/4, dog 2/4, mislabelled 1/4; ceiling = share × 0.4.
        var counts = sheet.Count();
        Assert.Equal(Tags, counts.Select(c => c.Tag));
        Assert.Equal([1, 2, 1], counts.Select(c => c.Count));
        Assert.Equal([0.25, 0.5, 0.25], counts.Select(c => c.ShareOfErrors));
        Assert.Equal([0.1, 0.2, 0.1], counts.Select(c => Math.Round(c.ImprovementCeiling, 12)));
        Assert.Equal(4, sheet.ExaminedCount);
        Assert.Equal(["blurry", "dog"], sheet.TagsOf(1).Order());
        Assert.Contains("Examined 4 of 4 misclassified rows", sheet.ToString());
        Assert.Contains("50.0%", sheet.ToString());
    }

    [Fact]
    public void SampledExaminationSharesAreOverTheExaminedRows()
    {
        string?[] truth = ["a", "a", "a", "a", "b", "b", "b", "b"];
        string?[] predicted = ["b", "b", "b", "b", "a", "a", "b", "b"];
        var sheet = ErrorTagSheet.FromLabels(["x"], truth, predicted);
        sheet.Tag(0, "x");
        sheet.Tag(4);

        // 6 of 8 wrong; 2 examined, 1 with x: share 0.5, ceiling 0.5 × 0.75.
        var x = Assert.Single(sheet.Count());
        Assert.Equal(0.5, x.ShareOfErrors);
        Assert.Equal(0.375, x.ImprovementCeiling, 12);
    }

    [Fact]
    public void MisuseIsRefusedWithAClearMessage()
    {
        string?[] truth = ["cat", "cat", "dog"];
        string?[] predicted = ["cat", "dog", "dog"];
        var sheet = ErrorTagSheet.FromLabels(Tags, truth, predicted);

        Assert.Contains("Tag 'muddy' on row 1 is not one of the declared tags (blurry, dog, mislabelled)", Assert.Throws<ArgumentException>(() => sheet.Tag(1, "muddy")).Message);
        Assert.Contains("Row 0 is classified correctly", Assert.Throws<ArgumentException>(() => sheet.Tag(0, "dog")).Message);
        Assert.Contains("row = 3", Assert.Throws<ArgumentOutOfRangeException>(() => sheet.Tag(3, "dog")).Message);
        Assert.Contains("call Tag first", Assert.Throws<InvalidOperationException>(() => sheet.Count()).Message);
        Assert.Contains("'dog' twice", Assert.Throws<ArgumentException>(() => ErrorTagSheet.FromLabels(["dog", "dog"], truth, predicted)).Message);
        Assert.Contains("tags", Assert.ThrowsAny<ArgumentException>(() => ErrorTagSheet.FromLabels([], truth, predicted)).Message);
        Assert.Contains("No row has a true label", Assert.Throws<ArgumentException>(() => ErrorTagSheet.FromLabels(Tags, [null], ["cat"])).Message);
    }

    [Fact]
    public void SheetOfAScoredViewComparesKeyValues()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { ("shirt", "shirt"), ("shirt", "t-shirt"), ("coat", "coat"), ("t-shirt", "shirt") }
            .Select(p => new Scored { Label = p.Item1, PredictedLabel = p.Item2 }));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
        var sheet = ErrorAnalysis.TagSheet(keyed, ["shirt/t-shirt"]);

        Assert.Equal([1, 3], sheet.Misclassified.Select(m => m.Row));
        Assert.Equal(("shirt", "t-shirt"), (sheet.Misclassified[0].TrueLabel, sheet.Misclassified[0].PredictedLabel));
        Assert.Equal(0.5, sheet.ErrorRate);
    }
}
