using DeepLearning.Trainers.Analysis;

namespace DeepLearning.Samples.Diagnosis;

/// <summary>
/// Stands in for the person who examines misclassified dev images in the spreadsheet method: tags
/// each examined error by the pair of classes it confuses (shirt vs T-shirt, pullover vs coat, …)
/// and by how faint the image is.
/// </summary>
internal static class ErrorTags
{
    /// <summary>Misclassified rows examined, as the method suggests (a hundred or two are enough to rank the causes).</summary>
    public const int Examined = 200;

    private const string ShirtTShirt = "shirt vs T-shirt/top";
    private const string PulloverCoat = "pullover vs coat";
    private const string OtherTops = "other tops mixed up";
    private const string Footwear = "footwear mixed up";
    private const string Other = "other classes";
    private const string Faint = "faint image";

    private static readonly string[] Tops = ["T-shirt/top", "Pullover", "Dress", "Coat", "Shirt"];
    private static readonly string[] Shoes = ["Sandal", "Sneaker", "Ankle boot"];

    /// <summary>The declared tags.</summary>
    public static IReadOnlyList<string> All { get; } = [ShirtTShirt, PulloverCoat, OtherTops, Footwear, Other, Faint];

    /// <summary>Examines a seeded random sample of the misclassified rows and tags each.</summary>
    /// <param name="sheet">The sheet over the dev set.</param>
    /// <param name="images">The dev images, by row.</param>
    /// <param name="seed">Seed of the sample.</param>
    public static void Examine(ErrorTagSheet sheet, IReadOnlyList<float[]> images, int seed)
    {
        // "Faint": among the quarter of dev images with the least ink (mean brightness).
        var brightness = images.Select(i => i.Average()).Order().ToArray();
        var faint = brightness[brightness.Length / 4];
        var sample = sheet.Misclassified.ToArray();
        new Random(seed).Shuffle(sample);
        foreach (var error in sample.Take(Examined))
        {
            List<string> tags = [Pair(error.TrueLabel, error.PredictedLabel)];
            if (images[error.Row].Average() < faint)
            {
                tags.Add(Faint);
            }

            sheet.Tag(error.Row, [.. tags]);
        }
    }

    private static string Pair(string truth, string predicted)
    {
        bool Is(string a, string b) => (truth == a && predicted == b) || (truth == b && predicted == a);
        return Is("Shirt", "T-shirt/top") ? ShirtTShirt
            : Is("Pullover", "Coat") ? PulloverCoat
            : Tops.Contains(truth) && Tops.Contains(predicted) ? OtherTops
            : Shoes.Contains(truth) && Shoes.Contains(predicted) ? Footwear
            : Other;
    }
}
