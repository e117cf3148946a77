// The camera for venue mode: BarcodeDetector reading QR codes from getUserMedia's video. Browsers
// without BarcodeDetector (most desktop ones) get canScan() === false and the app hides the
// camera button; tickets are then typed or pasted, or people are found by name.

let current = null;

export function canScan() {
  return (
    typeof window.BarcodeDetector === "function" &&
    !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)
  );
}

export function stopScan() {
  if (!current) return;
  current.stopped = true;
  for (const track of current.stream ? current.stream.getTracks() : []) track.stop();
  if (current.video) current.video.srcObject = null;
  current = null;
}

// Shows the back camera in the <video id=videoId> and calls onCode(text) with the first QR code
// read, or onError(message) when the camera or the detector cannot be used.
export async function startScan(videoId, onCode, onError) {
  stopScan();
  const session = { stopped: false, stream: null, video: null };
  current = session;
  try {
    if (typeof BarcodeDetector.getSupportedFormats === "function") {
      const formats = await BarcodeDetector.getSupportedFormats();
      if (!formats.includes("qr_code")) throw new Error("this browser cannot read QR codes");
    }
    const detector = new BarcodeDetector({ formats: ["qr_code"] });
    session.stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment" },
      audio: false,
    });
    if (session.stopped) {
      for (const track of session.stream.getTracks()) track.stop();
      return;
    }
    const video = document.getElementById(videoId);
    if (!video) throw new Error("no video element");
    session.video = video;
    video.srcObject = session.stream;
    video.setAttribute("playsinline", "");
    await video.play();
    const tick = async () => {
      if (session.stopped) return;
      try {
        const codes = await detector.detect(video);
        if (codes.length && codes[0].rawValue) {
          const text = codes[0].rawValue;
          stopScan();
          onCode(text);
          return;
        }
      } catch (_) {
        // A frame that could not be read; try the next one.
      }
      setTimeout(tick, 150);
    };
    tick();
  } catch (e) {
    if (current === session) stopScan();
    onError(String((e && e.message) || e));
  }
}
