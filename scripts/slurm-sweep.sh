#!/bin/sh
# A dynosim sweep on a Slurm cluster: a job array runs its shards, 2 cores each, then a
# job that waits for every shard to succeed merges them.
#
#   scripts/slurm-sweep.sh N OUT SCENARIO [sweep options...]
#
# Run it from the clone's folder, on a file system that every node sees at the same path.
# Shard K of N writes OUT/shard-K-of-N.json; the merge job writes OUT/sweep.csv, runs.csv,
# charts/ and report.html, keeping the shards. Each job's output is in OUT/slurm/. It
# prints the job ids of the array and of the merge job, one a line; should a shard fail,
# Slurm cancels the merge job.
set -eu
n=$1 out=$2
shift 2
# Each job runs this file again, with the same arguments: DYNOSIM_SLURM_JOB says which job.
case ${DYNOSIM_SLURM_JOB-} in
  shard) exec npx dynosim sweep "$@" --jobs 2 --no-progress --shard "$SLURM_ARRAY_TASK_ID/$n" --out "$out" ;;
  merge) exec npx dynosim merge "$out"/shard-*-of-"$n".json ;;
esac
mkdir -p "$out/slurm"
array=$(sbatch --parsable --array=1-"$n" --cpus-per-task=2 --output="$out/slurm/shard-%a.out" --export=ALL,DYNOSIM_SLURM_JOB=shard "$0" "$n" "$out" "$@")
echo "$array"
sbatch --parsable --dependency=afterok:"$array" --kill-on-invalid-dep=yes --output="$out/slurm/merge.out" --export=ALL,DYNOSIM_SLURM_JOB=merge "$0" "$n" "$out" "$@"
