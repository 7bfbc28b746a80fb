import { useEffect, useState } from 'react';

/**
 * "Nghe đọc bài": the phone's own Vietnamese voice reads the lesson (Web Speech API), so a learner
 * who reads slowly can listen instead; no audio files to download. Hidden where there is no voice.
 */
export function ReadAloud(props: { text: string }) {
  const synth = typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => () => synth?.cancel(), [synth, props.text]);
  if (!synth) return null;
  const toggle = () => {
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const utterance = new SpeechSynthesisUtterance(props.text);
    utterance.lang = 'vi-VN';
    utterance.rate = 0.9;
    const voice = synth.getVoices().find((v) => v.lang.toLowerCase().startsWith('vi'));
    if (voice) utterance.voice = voice;
    utterance.onend = () => setSpeaking(false);
    utterance.onerror = () => setSpeaking(false);
    synth.speak(utterance);
    setSpeaking(true);
  };
  return (
    <button type="button" className="l-btn secondary" onClick={toggle} aria-pressed={speaking}>
      <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="currentColor">
        {speaking ? <rect x="6" y="6" width="12" height="12" rx="1" /> : <path d="M4 9v6h4l5 4V5L8 9H4zm12.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z" />}
      </svg>
      {speaking ? 'Dừng đọc' : 'Nghe đọc bài'}
    </button>
  );
}
