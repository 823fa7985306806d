#!/usr/bin/env bash
# Packs DeepLearning.Transforms and DeepLearning.Trainers into artifacts/packages with a fresh
# prerelease version (0.2.0-dev.<UTC time>), so an app that updates to the newest version gets
# this build, never a stale copy from its NuGet cache. Usage: bash build/pack.sh [OUTPUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
output=${1:-artifacts/packages}
suffix="dev.$(date -u +%Y%m%d%H%M%S)"
dotnet pack DeepLearning.sln -c Release -o "$output" -p:VersionSuffix="$suffix" >/dev/null
ls "$output" | grep -F "$suffix"
echo "version: $(grep -oPm1 '(?<=<VersionPrefix>)[^<]+' Directory.Build.props)-$suffix"
