namespace DeepLearning.Trainers.Analysis;

/// <summary>How often a tag was given to the examined errors, and what fixing them all could gain at most.</summary>
/// <param name="Tag">The tag.</param>
/// <param name="Count">Examined misclassified rows with the tag.</param>
/// <param name="ShareOfErrors">Count over the examined misclassified rows, in [0, 1]; shares may sum past 1 since a row can have several tags.</param>
/// <param name="ImprovementCeiling">Share times the current error rate: the most the error rate could drop by fixing every error with this tag.</param>
public sealed record TagCount(string Tag, int Count, double ShareOfErrors, double ImprovementCeiling);
