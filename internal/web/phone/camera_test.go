package phone_test

import (
	"bufio"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/triplicate-vote/triplicate/internal/election/electiontest"
	"github.com/triplicate-vote/triplicate/internal/printing/printtest"
	"github.com/triplicate-vote/triplicate/internal/qr"
)

// writeY4M writes frames (all of one even size) as a Y4M video at 2
// frames a second, each repeated: Chromium's fake camera plays it in a
// loop. Colour is dropped: the codes are black on white.
func writeY4M(t *testing.T, path string, frames []*image.Gray, repeat int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	b := frames[0].Bounds()
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F2:1 Ip A1:1 C420jpeg\n", b.Dx(), b.Dy())
	chroma := make([]byte, b.Dx()*b.Dy()/4)
	for i := range chroma {
		chroma[i] = 128
	}
	for _, fr := range frames {
		for range repeat {
			w.WriteString("FRAME\n")
			w.Write(fr.Pix)
			w.Write(chroma)
			w.Write(chroma)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
}

// cameraBrowser is pagetest.NewBrowser with a fake camera playing the
// video and the camera permission granted.
func cameraBrowser(t *testing.T, video string) context.Context {
	t.Helper()
	chromium := os.Getenv("TRIPLICATE_CHROMIUM")
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); chromium == "" && err == nil {
			chromium = p
		}
	}
	if chromium == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no chromium on this machine: .ci/run installs Debian's chromium package")
		}
		t.Skip("no chromium on this machine: install Debian's chromium package or set TRIPLICATE_CHROMIUM; browser tests skipped")
	}
	profile, err := os.MkdirTemp("", "triplicate-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("use-fake-device-for-media-stream", true),
		chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-file-for-fake-video-capture", video),
		chromedp.Flag("lang", "en"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
		os.RemoveAll(profile)
	})
	return ctx
}

// The witness points the camera at the sheet's codes, of which two of the
// three come into view one at a time, the parity code first: the app reads
// both, which give the acta back, shows the verdict,
// stops the camera, keeps the acta with a frame as its photo, and sends it.
func TestCamera(t *testing.T) {
	f := electiontest.New(electiontest.Options{Contests: 2})
	url, c, _ := server(t, f)
	sa := printtest.SignedActa(t, f, 10, 3)
	codes, err := qr.CodeImages(sa.Msg)
	if err != nil || len(codes) != 3 {
		t.Fatalf("the acta takes %d codes, want 3 (any 2 give it back): %v", len(codes), err)
	}
	var frames []*image.Gray
	for _, i := range []int{2, 0} {
		fr := image.NewGray(image.Rect(0, 0, 1280, 720))
		draw.Draw(fr, fr.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		cb := codes[i].Bounds()
		scale := min(1, 680/float64(cb.Dx())) // codes are 8 px a module; a frame has 720 rows
		for y := range int(float64(cb.Dy()) * scale) {
			for x := range int(float64(cb.Dx()) * scale) {
				fr.Set(300+x, 20+y, codes[i].At(cb.Min.X+int(float64(x)/scale), cb.Min.Y+int(float64(y)/scale)))
			}
		}
		frames = append(frames, fr)
	}
	video := filepath.Join(t.TempDir(), "sheet.y4m")
	writeY4M(t, video, frames, 4)

	ctx := cameraBrowser(t, video)
	err = chromedp.Run(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Navigate(url+"/"),
		chromedp.WaitVisible(`body[data-ready="true"]`, chromedp.ByQuery),
		chromedp.Click("#camera", chromedp.ByID),
		chromedp.WaitVisible("#result.ok", chromedp.ByQuery),
		chromedp.WaitVisible(`li[data-state="sent"] img`, chromedp.ByQuery),
	)
	if err != nil {
		var progress string
		chromedp.Run(ctx, chromedp.Text("#progress", &progress, chromedp.ByID))
		t.Fatalf("reading from the camera: %v (progress %q)", err, progress)
	}
	look(t, ctx, "01-camera-verdict-en")
	var verdict string
	var videoHidden bool
	var cosignShown bool
	if err := chromedp.Run(ctx, chromedp.Text("#verdict", &verdict, chromedp.ByID),
		chromedp.Evaluate(`document.getElementById("video").hidden`, &videoHidden),
		chromedp.Evaluate(`document.getElementById("cosign").offsetParent !== null`, &cosignShown)); err != nil {
		t.Fatal(err)
	}
	if cosignShown {
		t.Error("the phone offers to cosign with no witness key")
	}
	if !strings.Contains(verdict, "cosigned by pa, pb and pc; figures add up") {
		t.Errorf("verdict %q", verdict)
	}
	if !videoHidden {
		t.Error("the camera is still on after the acta was read")
	}
	if held, _ := c.Held(); len(held) != 1 {
		t.Errorf("the party holds %q", held)
	}
}
