namespace DeepLearning.Trainers.Analysis;

/// <summary>One prediction of a class after matching: its score, where it came from and whether it matched a ground truth at each IoU threshold.</summary>
/// <param name="Score">The prediction's score.</param>
/// <param name="Image">Position of its image.</param>
/// <param name="Index">Its position among the image's predictions.</param>
/// <param name="Matched">Whether it is a true positive, per IoU threshold.</param>
internal readonly record struct RankedDetection(float Score, int Image, int Index, bool[] Matched);
