package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/sorlab/sorlab/sor/sim"
)

// The parts of a Kubernetes object that the sweep's Job depends on.
type k8sObject struct {
	Kind     string `yaml:"kind"`
	Metadata struct {
		Name   string            `yaml:"name"`
		Labels map[string]string `yaml:"labels"`
	} `yaml:"metadata"`
	Spec struct {
		CompletionMode       string   `yaml:"completionMode"`
		Completions          int      `yaml:"completions"`
		Parallelism          int      `yaml:"parallelism"`
		BackoffLimitPerIndex *int     `yaml:"backoffLimitPerIndex"`
		AccessModes          []string `yaml:"accessModes"`
		StorageClassName     string   `yaml:"storageClassName"`
		PodFailurePolicy     struct {
			Rules []struct {
				Action      string `yaml:"action"`
				OnExitCodes *struct {
					ContainerName string `yaml:"containerName"`
					Operator      string `yaml:"operator"`
					Values        []int  `yaml:"values"`
				} `yaml:"onExitCodes"`
				OnPodConditions []struct {
					Type string `yaml:"type"`
				} `yaml:"onPodConditions"`
			} `yaml:"rules"`
		} `yaml:"podFailurePolicy"`
		podSpec  `yaml:",inline"` // a Pod's
		Template struct {
			Spec podSpec `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

type podSpec struct {
	RestartPolicy string `yaml:"restartPolicy"`
	Containers    []struct {
		Name    string   `yaml:"name"`
		Image   string   `yaml:"image"`
		Command []string `yaml:"command"`
		Args    []string `yaml:"args"`
		Env     []struct {
			Name      string `yaml:"name"`
			ValueFrom struct {
				FieldRef struct {
					FieldPath string `yaml:"fieldPath"`
				} `yaml:"fieldRef"`
			} `yaml:"valueFrom"`
		} `yaml:"env"`
		VolumeMounts []struct {
			Name      string `yaml:"name"`
			MountPath string `yaml:"mountPath"`
		} `yaml:"volumeMounts"`
	} `yaml:"containers"`
	Volumes []struct {
		Name                  string `yaml:"name"`
		PersistentVolumeClaim struct {
			ClaimName string `yaml:"claimName"`
		} `yaml:"persistentVolumeClaim"`
	} `yaml:"volumes"`
}

const jobFile = "../../../docker/k8s/sweep-job.yaml"

func readObjects(t *testing.T) map[string]*k8sObject {
	t.Helper()
	f, err := os.Open(jobFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	objs := map[string]*k8sObject{}
	dec := yaml.NewDecoder(f)
	for {
		var o k8sObject
		if err := dec.Decode(&o); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		objs[o.Metadata.Labels["step"]] = &o
	}
	return objs
}

// The Job file holds the volume, the shards as an Indexed Job and the merge,
// each with the step label the README's kubectl commands select; the
// shards take their shard from JOB_COMPLETION_INDEX, -of equals the number
// of completions, and every pod runs the Dockerfile's image with the volume
// mounted where the command lines look.
func TestJobManifest(t *testing.T) {
	objs := readObjects(t)
	pvc, shards, merge, load := objs["volume"], objs["shards"], objs["merge"], objs["load"]
	if len(objs) != 4 || pvc == nil || shards == nil || merge == nil || load == nil {
		t.Fatalf("want the steps volume, load, shards and merge, got %v", slices.Sorted(func(yield func(string) bool) {
			for k := range objs {
				if !yield(k) {
					return
				}
			}
		}))
	}
	if pvc.Kind != "PersistentVolumeClaim" || shards.Kind != "Job" || merge.Kind != "Job" || load.Kind != "Pod" {
		t.Errorf("kinds %s, %s, %s, %s", pvc.Kind, shards.Kind, merge.Kind, load.Kind)
	}
	if shards.Spec.CompletionMode != "Indexed" || shards.Spec.Completions < 1 || shards.Spec.Parallelism < 1 {
		t.Errorf("shards: completionMode %q, completions %d, parallelism %d", shards.Spec.CompletionMode, shards.Spec.Completions, shards.Spec.Parallelism)
	}
	image := dockerImage(t)
	// The helper pod that kubectl cp copies through mounts the volume where
	// the shards do, from the same image (which has tar).
	if lp := load.Spec.podSpec; len(lp.Containers) != 1 || lp.Containers[0].Image != image+":latest" ||
		len(lp.Containers[0].VolumeMounts) != 1 || len(lp.Volumes) != 1 || lp.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Metadata.Name ||
		lp.Containers[0].VolumeMounts[0].MountPath != shards.Spec.Template.Spec.Containers[0].VolumeMounts[0].MountPath {
		t.Errorf("load: %+v: want one container of %s:latest mounting the claim %s where the shards do", lp, image, pvc.Metadata.Name)
	}
	for _, o := range []*k8sObject{shards, merge} {
		ps := o.Spec.Template.Spec
		if len(ps.Containers) != 1 || ps.RestartPolicy != "Never" {
			t.Fatalf("%s: %d containers, restartPolicy %q", o.Metadata.Name, len(ps.Containers), ps.RestartPolicy)
		}
		c := ps.Containers[0]
		if c.Image != image+":latest" {
			t.Errorf("%s: image %s, want the Dockerfile's %s:latest", o.Metadata.Name, c.Image, image)
		}
		// The image's ENTRYPOINT (docker/entrypoint.sh) executes any
		// command that is not one of its own words.
		if len(c.Command) != 0 || len(c.Args) < 3 || !slices.Equal(c.Args[:3], []string{"go", "run", "./sor/cmd/sweep"}) || entrypointWord(t, c.Args[0]) {
			t.Errorf("%s: command %v, args %v: want args go run ./sor/cmd/sweep ... through the entrypoint", o.Metadata.Name, c.Command, c.Args)
		}
		if len(c.VolumeMounts) != 1 || len(ps.Volumes) != 1 || c.VolumeMounts[0].Name != ps.Volumes[0].Name || ps.Volumes[0].PersistentVolumeClaim.ClaimName != pvc.Metadata.Name {
			t.Errorf("%s: volume mounts %+v, volumes %+v: want the claim %s", o.Metadata.Name, c.VolumeMounts, ps.Volumes, pvc.Metadata.Name)
		}
	}
	c := shards.Spec.Template.Spec.Containers[0]
	if i := slices.Index(c.Args, "-shard"); i < 0 || i+1 >= len(c.Args) || c.Args[i+1] != "$(JOB_COMPLETION_INDEX)" {
		t.Errorf("shards: args %v: want -shard $(JOB_COMPLETION_INDEX)", c.Args)
	}
	if i := slices.Index(c.Args, "-of"); i < 0 || i+1 >= len(c.Args) || c.Args[i+1] != strconv.Itoa(shards.Spec.Completions) {
		t.Errorf("shards: args %v: want -of %d, the completions", c.Args, shards.Spec.Completions)
	}
	if len(c.Env) != 1 || c.Env[0].Name != "JOB_COMPLETION_INDEX" || c.Env[0].ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Errorf("shards: env %+v", c.Env)
	}
	if !slices.Equal(pvc.Spec.AccessModes, []string{"ReadWriteMany"}) {
		t.Errorf("volume: access modes %v: shards on several nodes write at once", pvc.Spec.AccessModes)
	}
	if pvc.Spec.StorageClassName == "" {
		t.Error("volume: no storageClassName: the default class is seldom ReadWriteMany")
	}
	checkFailurePolicy(t, shards)
}

// The shards' failure policy: bad input (2) fails the Job; a shard whose
// tasks failed (failedTasks(1) to failedTasks(100), every such status)
// fails its index at once, since a retry repeats the same failures, and the
// Job then ends (Failed) instead of retrying; an evicted pod is retried
// without counting.
func checkFailurePolicy(t *testing.T, shards *k8sObject) {
	t.Helper()
	if shards.Spec.BackoffLimitPerIndex == nil {
		t.Error("shards: no backoffLimitPerIndex: FailIndex needs it")
	}
	var tasksFailed []int
	for k := 1; k <= 100; k++ {
		tasksFailed = append(tasksFailed, failedTasks(k))
	}
	if failedTasks(101) != failedTasks(100) {
		t.Fatal("failedTasks no longer caps at 100 failures: the policy's list must follow")
	}
	want := map[string]bool{"FailJob": false, "FailIndex": false, "Ignore": false}
	container := shards.Spec.Template.Spec.Containers[0].Name
	for _, r := range shards.Spec.PodFailurePolicy.Rules {
		switch {
		case r.Action == "FailJob" && r.OnExitCodes != nil && r.OnExitCodes.Operator == "In" && slices.Equal(r.OnExitCodes.Values, []int{2}) && r.OnExitCodes.ContainerName == container:
			want["FailJob"] = true
		case r.Action == "FailIndex" && r.OnExitCodes != nil && r.OnExitCodes.Operator == "In" && slices.Equal(r.OnExitCodes.Values, tasksFailed) && r.OnExitCodes.ContainerName == container:
			want["FailIndex"] = true
		case r.Action == "Ignore" && r.OnExitCodes == nil && len(r.OnPodConditions) == 1 && r.OnPodConditions[0].Type == "DisruptionTarget":
			want["Ignore"] = true
		default:
			t.Errorf("shards: unexpected failure policy rule %+v", r)
		}
	}
	for action, found := range want {
		if !found {
			t.Errorf("shards: no %s rule as the sweep's exit statuses need", action)
		}
	}
}

// dockerImage is the image name the Dockerfile's header builds.
func dockerImage(t *testing.T) string {
	b, err := os.ReadFile("../../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`docker build -t (\S+) \.`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no 'docker build -t NAME .' in the Dockerfile")
	}
	return string(m[1])
}

// entrypointWord reports whether docker/entrypoint.sh treats word as one of
// its own commands rather than a command to execute.
func entrypointWord(t *testing.T, word string) bool {
	b, err := os.ReadFile("../../../docker/entrypoint.sh")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "*)\n\texec \"$cmd\" \"$@\"") {
		t.Fatal("docker/entrypoint.sh no longer executes other commands as given")
	}
	for _, m := range regexp.MustCompile(`(?m)^([^\s()*][^)]*)\)$`).FindAllStringSubmatch(string(b), -1) {
		for _, w := range strings.Split(m[1], "|") {
			if strings.TrimSpace(w) == word {
				return true
			}
		}
	}
	return false
}

// The Job's command lines, run here as the pods would run them (the volume
// a temporary folder holding the example manifest, a venue table and
// simulated data): every shard, then the merge, give the table of one
// unsharded sweep of the same manifest, byte for byte.
func TestJobCommandLinesRun(t *testing.T) {
	objs := readObjects(t)
	shards, merge := objs["shards"], objs["merge"]
	vol := t.TempDir()
	mount := shards.Spec.Template.Spec.Containers[0].VolumeMounts[0].MountPath
	example, err := os.ReadFile("../../../docker/k8s/manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(vol, "manifest.json"), example, 0o644)
	p := sim.DefaultParams()
	p.Duration = 10 * time.Second
	if err := sim.WriteVenuesFile(context.Background(), filepath.Join(vol, "venues.csv"), p.Venues); err != nil {
		t.Fatal(err)
	}
	os.Mkdir(filepath.Join(vol, "data"), 0o755)
	if _, _, err := sim.WriteDays(context.Background(), filepath.Join(vol, "data"), ".csv.zst", p, 4, 11, 2, false); err != nil {
		t.Fatal(err)
	}
	// In the pod, the working folder is the image's /sorlab and the volume
	// is at the mount path: here, the volume's paths move to vol.
	local := func(args []string, index int) []string {
		var out []string
		for _, a := range args[3:] { // after go run ./sor/cmd/sweep
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", strconv.Itoa(index))
			if strings.HasPrefix(a, mount+"/") {
				a = filepath.Join(vol, strings.TrimPrefix(a, mount+"/"))
			}
			out = append(out, a)
		}
		return out
	}
	for i := range shards.Spec.Completions {
		var stderr bytes.Buffer
		if code := run(local(shards.Spec.Template.Spec.Containers[0].Args, i), io.Discard, &stderr); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr.String())
		}
	}
	var stderr bytes.Buffer
	margs := local(merge.Spec.Template.Spec.Containers[0].Args, 0)
	if code := run(margs, io.Discard, &stderr); code != 0 {
		t.Fatalf("merge %v: exit %d: %s", margs, code, stderr.String())
	}
	out := margs[len(margs)-1]
	got, _ := os.ReadFile(filepath.Join(out, "results.csv"))

	whole := t.TempDir()
	if code := run([]string{"-manifest", filepath.Join(vol, "manifest.json"), "-out", whole, "-q"}, io.Discard, &stderr); code != 0 {
		t.Fatalf("unsharded: exit %d: %s", code, stderr.String())
	}
	run([]string{"merge", whole}, io.Discard, &stderr)
	want, _ := os.ReadFile(filepath.Join(whole, "results.csv"))
	if len(want) == 0 || !bytes.Equal(got, want) {
		t.Errorf("the Job's table (%d bytes) differs from the unsharded sweep's (%d bytes)", len(got), len(want))
	}
	if n := strings.Count(string(got), "\n"); n != 1+11*2*27*4 {
		t.Errorf("%d lines, want 11 days x 2 symbols x 27 grid points x 4 strategies + 1", n)
	}
}
