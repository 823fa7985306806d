"""Oracle for DetectionMetrics: runs pycocotools' COCOeval (boxes, area range 'all', 100 detections per
image) on a ground-truth file and a results file in COCO's JSON format and prints one JSON line:
{"map50to95": stats[0], "map50": stats[1], "ap50": [per category], "ap50to95": [per category]}
(null for a category without ground truth). Usage: python coco_eval.py GT.json RESULTS.json"""
import contextlib
import io
import json
import sys

import numpy as np

# The cocoapi sources (not the releases) still use np.float, which NumPy 1.24 removed.
if not hasattr(np, "float"):
    np.float = float

from pycocotools.coco import COCO
from pycocotools.cocoeval import COCOeval


def main(gt_path, results_path):
    with contextlib.redirect_stdout(io.StringIO()):
        gt = COCO(gt_path)
        dt = gt.loadRes(results_path)
        evaluation = COCOeval(gt, dt, "bbox")
        evaluation.evaluate()
        evaluation.accumulate()
        evaluation.summarize()
    # precision[T, R, K, A, M]: area 'all' is A = 0, 100 detections is M = 2; -1 marks a category without ground truth.
    precision = evaluation.eval["precision"][:, :, :, 0, 2]
    ap50, ap50to95 = [], []
    for k in range(precision.shape[2]):
        p = precision[:, :, k]
        ap50.append(float(np.mean(p[0])) if (p[0] > -1).all() else None)
        ap50to95.append(float(np.mean(p)) if (p > -1).all() else None)
    print(json.dumps({
        "map50to95": float(evaluation.stats[0]),
        "map50": float(evaluation.stats[1]),
        "ap50": ap50,
        "ap50to95": ap50to95,
    }))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
