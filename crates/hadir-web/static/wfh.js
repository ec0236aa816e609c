// The WFH proposal form: "use my location" fills the coordinates from the phone's position
// (the employee can still type or correct them).
const button = document.getElementById('use-location');
const status = document.getElementById('wfh-location');

button?.addEventListener('click', () => {
  if (!('geolocation' in navigator)) {
    status.textContent = status.dataset.refused;
    return;
  }
  status.textContent = status.dataset.finding;
  navigator.geolocation.getCurrentPosition(
    (p) => {
      document.querySelector('input[name=lat]').value = p.coords.latitude.toFixed(6);
      document.querySelector('input[name=lon]').value = p.coords.longitude.toFixed(6);
      status.textContent = `${status.dataset.accuracy} ${Math.round(p.coords.accuracy)} m`;
    },
    () => { status.textContent = status.dataset.refused; },
    { enableHighAccuracy: true, timeout: 20000 },
  );
});
