import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import 'leaflet.markercluster/dist/MarkerCluster.css';
import 'leaflet.markercluster/dist/MarkerCluster.Default.css';
import type { ExplorerSettings } from '../owner/oidc';
import { h, shortName } from '../dom';
import { t } from '../i18n/i18n';
import { VG_OUTLINE } from './vg-outline';
import { popupContent, type MapEntity } from './map-popup';

/*
 * The map of a dataset's entities (loaded with import() only by the pages that show one). Points
 * are div markers, which are keyboard-focusable and carry their coordinates as data attributes;
 * lines and polygons are SVG paths. Over CLUSTER_FROM points they are clustered.
 */
const CLUSTER_FROM = 50;

// The clustering plugin is a script for a global L.
(window as unknown as { L: typeof L }).L = L;
const clusterReady = import('leaflet.markercluster');

export interface MapView {
  update(entity: MapEntity): void;
  destroy(): void;
}

export async function createMap(container: HTMLElement, entities: MapEntity[], settings: ExplorerSettings): Promise<MapView> {
  await clusterReady;
  // Zoom limits of their own: without a tile layer nothing sets them, and clustering needs a maximum.
  const map = L.map(container, { zoomControl: true, keyboard: true, minZoom: 5, maxZoom: 18, attributionControl: Boolean(settings.tileUrl) });
  if (settings.tileUrl) L.tileLayer(settings.tileUrl, { attribution: settings.tileAttribution, maxZoom: 19 }).addTo(map);
  else container.classList.add('map-plain');
  L.control.scale({ imperial: false }).addTo(map);
  const outline = L.geoJSON(VG_OUTLINE as unknown as GeoJSON.Feature, { style: { color: '#4a5568', weight: 1.5, fill: false, interactive: false } }).addTo(map);

  const points = entities.filter((e) => e.geometry?.type === 'Point').length;
  const group: L.FeatureGroup = points >= CLUSTER_FROM ? L.markerClusterGroup() : L.featureGroup();
  const layers = new Map<string, L.Layer>();
  const add = (entity: MapEntity) => {
    if (!entity.geometry) return;
    const layer = L.geoJSON({ type: 'Feature', geometry: entity.geometry, properties: {} } as GeoJSON.Feature, {
      pointToLayer: (_feature, latlng) => L.marker(latlng, { icon: markerIcon(entity, latlng), title: shortName(entity.id), keyboard: true }),
      style: { color: '#0b5cad', weight: 3 },
    });
    layer.bindPopup(() => popupContent(entity));
    layers.set(entity.id, layer);
    group.addLayer(layer);
  };
  entities.forEach(add);
  group.addTo(map);
  const bounds = group.getBounds();
  // Not closer than a municipality: the county outline and the scale keep the data in place.
  map.fitBounds(bounds.isValid() ? bounds.pad(0.2) : outline.getBounds(), { maxZoom: 10 });
  container.setAttribute('aria-label', t('mapLabel'));

  return {
    update(entity) {
      const old = layers.get(entity.id);
      if (old) group.removeLayer(old);
      add(entity);
    },
    destroy: () => map.remove(),
  };
}

function markerIcon(entity: MapEntity, latlng: L.LatLng): L.DivIcon {
  // Built as an element: an entity id never becomes markup.
  const dot = h('span', { class: 'marker-dot', 'data-entity': entity.id, 'data-lon': latlng.lng, 'data-lat': latlng.lat });
  return L.divIcon({ html: dot, className: 'marker', iconSize: [18, 18] });
}
