// claimledger's pages: the maps. Every shape and script comes from this app (no tiles, no
// CDN); labels are set as text, never as HTML, since they come from articles.
"use strict";

(function () {
  var STATUS_COLOURS = {
    reported: "#6c757d", corroborated: "#1f77b4", confirmed: "#2ca02c",
    disputed: "#ff7f0e", denied: "#d62728"
  };

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) { throw new Error(url + ": " + r.status); }
      return r.json();
    });
  }

  function popup(props) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    if (props.record === "event") {
      link.href = "/events/" + encodeURIComponent(props.event);
      link.textContent = props.title || props.event;
      box.appendChild(link);
      var line = document.createElement("div");
      line.textContent = [props.status, props.type, props.place, (props.claims || 0) + " claims"]
        .filter(Boolean).join(" · ");
      box.appendChild(line);
    } else {
      link.href = "/claims/" + encodeURIComponent(props.claim);
      link.textContent = (props.source || "") + ": " + (props.content || "");
      box.appendChild(link);
      var where = document.createElement("div");
      where.textContent = props.place_text + " → " + props.place +
        (props.country_code ? " (" + props.country_code + ")" : "");
      box.appendChild(where);
    }
    return box;
  }

  function draw(el) {
    var map = L.map(el, { worldCopyJump: true, attributionControl: true });
    map.attributionControl.setPrefix(false);
    map.attributionControl.addAttribution("Natural Earth");
    map.setView([20, 0], 1);
    var basemap = getJSON(el.dataset.basemap).then(function (world) {
      var land = topojson.feature(world, world.objects.countries);
      L.geoJSON(land, {
        style: { color: "#8a8f98", weight: 0.6, fillColor: "#eef0f3", fillOpacity: 1 },
        interactive: false
      }).addTo(map);
    });
    var points = getJSON(el.dataset.geojson).then(function (data) {
      var layer = L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          var p = feature.properties || {};
          return L.circleMarker(latlng, {
            radius: p.record === "event" ? 4 + Math.min(10, Math.sqrt(p.claims || 1)) : 6,
            color: "#222", weight: 1, fillOpacity: 0.8,
            fillColor: STATUS_COLOURS[p.status] || "#1f77b4",
            className: "marker marker-" + (p.record || "claim")
          });
        },
        onEachFeature: function (feature, marker) {
          marker.bindPopup(popup(feature.properties || {}));
        }
      }).addTo(map);
      el.dataset.markers = String(data.features.length);
      if (data.features.length) {
        map.fitBounds(layer.getBounds(), { maxZoom: 7, padding: [20, 20], animate: false });
      }
    });
    Promise.all([basemap, points]).then(function () {
      el.dataset.ready = "true";
    }).catch(function (err) {
      el.dataset.ready = "error";
      var note = document.createElement("p");
      note.className = "error";
      note.textContent = "The map could not be drawn: " + err.message;
      el.appendChild(note);
    });
  }

  document.querySelectorAll(".map[data-geojson]").forEach(draw);
})();
