namespace DeepLearning.Transforms.Detection;

/// <summary>Which overlap measure <see cref="BoxIou"/> computes; every one is 1 for identical boxes.</summary>
public enum IouKind
{
    /// <summary>Intersection over union, in [0, 1].</summary>
    Iou,

    /// <summary>Generalised IoU (Rezatofighi et al., 2019): IoU − (enclosing area − union) / enclosing area, in [−1, 1]; it still says how far apart disjoint boxes are.</summary>
    Generalized,

    /// <summary>Distance IoU (Zheng et al., 2020): IoU − (distance between centres)² / (diagonal of the enclosing box)², in [−1, 1].</summary>
    Distance,

    /// <summary>Complete IoU (Zheng et al., 2020): distance IoU − α·v, where v measures the difference of aspect ratios and α = v / (1 − IoU + v).</summary>
    Complete,
}
